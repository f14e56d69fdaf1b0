package io.gpucolo.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A second process for the store tests. {@code write URL FIRST COUNT}: appends decisions with seq FIRST..,
 * printing each seq once {@code recordDecision} has returned (committed). {@code serve URL}: opens the store
 * first (so this process serves the H2 file to the others) until stdin closes. {@code hold FILEURL}: opens the H2
 * file the plain way (no AUTO_SERVER), prints {@code ready}, and holds it until stdin closes.
 */
public final class StoreChild {
    private StoreChild() {
    }

    public static void main(String[] args) throws IOException, SQLException {
        if (args[0].equals("write")) {
            long first = Long.parseLong(args[2]);
            long count = Long.parseLong(args[3]);
            try (Store store = Store.open(args[1])) {
                System.out.println("open");
                System.out.flush();
                for (long seq = first; seq < first + count; seq++) {
                    store.recordDecision(StoreTest.entry(seq, "job" + seq, Instant.ofEpochMilli(seq)));
                    System.out.println(seq);
                    System.out.flush();
                }
            }
        } else if (args[0].equals("serve")) {
            try (Store store = Store.open(args[1])) {
                store.recordDecision(StoreTest.entry(1, "served", Instant.EPOCH));
                System.out.println("ready");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // serve the file to other processes until the parent closes our stdin
                }
            }
        } else if (args[0].equals("hold")) {
            try (Connection c = DriverManager.getConnection(args[1], "sa", "")) {
                c.createStatement().execute("SELECT 1");
                System.out.println("ready");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // hold the file until the parent closes our stdin
                }
            }
        }
    }
}
