package io.gpucolo.node.noded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;

/**
 * noded's liveness, as a file others read without talking to noded: {@code STATE_DIR/heartbeat} holds
 * {@code <epoch-millis> <pid>} and is rewritten every control period. {@code gpucolo noded status} (and admitd, when
 * it can read the node's file) report the node's noded as DOWN when the file is older than three periods or missing:
 * its jobs then run unthrottled (leases expired) and its GPUs should not take new co-located guests.
 */
public final class Heartbeat {
    private Heartbeat() {
    }

    static void beat(Path file, Instant now) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, now.toEpochMilli() + " " + ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads the heartbeat: "UP pid N, last beat X ms ago" or "DOWN: why". */
    public static String check(Path file, Instant now, Duration period) {
        try {
            String[] f = Files.readString(file, StandardCharsets.US_ASCII).trim().split(" ");
            long age = now.toEpochMilli() - Long.parseLong(f[0]);
            long pid = Long.parseLong(f[1]);
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            if (age > period.multipliedBy(3).toMillis() || !alive) {
                return "DOWN: noded (pid " + pid + (alive ? "" : ", gone") + ") last beat " + age + " ms ago; jobs run unthrottled";
            }
            return "UP: noded pid " + pid + ", last beat " + age + " ms ago";
        } catch (NoSuchFileException e) {
            return "DOWN: no heartbeat file " + file + "; noded never ran or was cleaned up";
        } catch (IOException | RuntimeException e) {
            return "DOWN: unreadable heartbeat file " + file + ": " + e.getMessage();
        }
    }
}
