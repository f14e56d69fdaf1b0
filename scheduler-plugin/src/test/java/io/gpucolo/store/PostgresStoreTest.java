package io.gpucolo.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gpucolo.admission.model.GpuId;
import io.gpucolo.admission.model.Placement;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same store on a real PostgreSQL server that the test starts itself (initdb + pg_ctl on a free loopback
 * port, as the {@code postgres} user when run as root). Skipped, with the reason, where PostgreSQL's server
 * programs are not installed.
 */
class PostgresStoreTest {
    private static final List<Path> BIN_DIRS = List.of(Path.of("/usr/lib/postgresql/15/bin"),
            Path.of("/usr/lib/postgresql/16/bin"), Path.of("/usr/lib/postgresql/17/bin"), Path.of("/usr/local/bin"),
            Path.of("/usr/bin"));
    private static Path bin;
    private static Path home;
    private static int port;

    @BeforeAll
    static void startServer() throws Exception {
        bin = BIN_DIRS.stream().filter(d -> Files.isExecutable(d.resolve("initdb")) && Files.isExecutable(d.resolve("pg_ctl")))
                .findFirst().orElse(null);
        assumeTrue(bin != null, "PostgreSQL server programs (initdb, pg_ctl) are not installed");
        boolean root = "root".equals(System.getProperty("user.name"));
        assumeTrue(!root || Files.isExecutable(Path.of("/usr/sbin/runuser")), "running as root without runuser");
        home = Files.createTempDirectory(Path.of("/tmp"), "gpucolo-pg-");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        if (root) {
            run(List.of("chown", "postgres:", home.toString()));
        }
        run(pg(root, "initdb", "-D", home.resolve("data").toString(), "-U", "gpucolo", "--auth=trust", "-E", "UTF8"));
        run(pg(root, "pg_ctl", "-D", home.resolve("data").toString(), "-l", home.resolve("log").toString(), "-w", "-o",
                "-p " + port + " -k " + home + " -c listen_addresses=127.0.0.1", "start"));
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (home == null) {
            return;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        new ProcessBuilder(pg(root, "pg_ctl", "-D", home.resolve("data").toString(), "-m", "immediate", "-w", "stop"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
        try (Stream<Path> all = Files.walk(home)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static List<String> pg(boolean root, String program, String... args) {
        List<String> cmd = new ArrayList<>();
        if (root) {
            cmd.addAll(List.of("/usr/sbin/runuser", "-u", "postgres", "--"));
        }
        cmd.add(bin.resolve(program).toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + cmd);
        assertEquals(0, p.exitValue(), cmd + " failed:\n" + out);
    }

    private static String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    @Test
    void storesAndReadsBackOnPostgresql() {
        Instant t = Instant.parse("2026-03-01T12:00:00Z");
        try (Store s = Store.open(url(), "gpucolo", "")) {
            assertEquals(1, s.schemaVersion());
            s.putJob(new JobRecord("77", JobKind.TRAINING, "bob", "", "running", 20, 2048, false, "gpu", "", "", t, t));
            s.recordPlacement(new Placement("77", new GpuId("n1", 3), 20, 2048), t);
            assertEquals(2, s.recordDecisions(List.of(StoreTest.entry(1, "77", t), StoreTest.entry(2, "78", t))));
            assertEquals(1, s.recordDecisions(List.of(StoreTest.entry(2, "78", t), StoreTest.entry(3, "79", t))));
            s.appendLoad(new LoadSample("web", "n1:g3", t, 12.5, OptionalDouble.of(30)));
        }
        try (Store s = Store.open(url(), "gpucolo", "")) {
            assertTrue(s.lastSeq() >= 3);
            assertEquals(List.of(StoreTest.entry(1, "77", t)), s.decisions("77"));
            assertEquals(1, s.decisions("79").size());
            assertEquals("n1:g3", s.activePlacements().get(0).placement().gpu().toString());
            assertEquals(12.5, s.loadHistory("web", t, t.plusSeconds(1)).get(0).requestsPerSecond());
            assertEquals("bob", s.job("77").orElseThrow().owner());
        }
    }

    @Test
    void serverDownIsUnavailableAndTheStoreReconnectsWhenItIsBack() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        try (Store s = Store.open(url(), "gpucolo", "")) {
            s.recordDecision(StoreTest.entry(100, "a", Instant.EPOCH));
            run(pg(root, "pg_ctl", "-D", home.resolve("data").toString(), "-m", "fast", "-w", "stop"));
            try {
                StoreException down = assertThrows(StoreException.class,
                        () -> s.recordDecision(StoreTest.entry(101, "b", Instant.EPOCH)));
                assertEquals(StoreException.Kind.UNAVAILABLE, down.kind(), down.getMessage());
                StoreException still = assertThrows(StoreException.class, () -> s.lastSeq());
                assertEquals(StoreException.Kind.UNAVAILABLE, still.kind(), still.getMessage());
                assertTrue(still.getMessage().startsWith("cannot reach state store jdbc:postgresql://127.0.0.1:"), still.getMessage());
            } finally {
                run(pg(root, "pg_ctl", "-D", home.resolve("data").toString(), "-l", home.resolve("log").toString(), "-w",
                        "-o", "-p " + port + " -k " + home + " -c listen_addresses=127.0.0.1", "start"));
            }
            assertTrue(s.recordDecision(StoreTest.entry(101, "b", Instant.EPOCH)));
            assertEquals(1, s.decisions("a").size());
        }
    }
}
