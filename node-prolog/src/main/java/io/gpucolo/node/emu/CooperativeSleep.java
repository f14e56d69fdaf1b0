package io.gpucolo.node.emu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The training side of cooperative sleep: the launcher ({@code gpucolo run}) writes the milliseconds to sleep after
 * each iteration into the file named by {@code GPUCOLO_SLEEP_FILE}; the training loop calls {@link #pause()} between
 * iterations. A missing, empty or garbled file means no sleep (fail open: training is never frozen by a bad file);
 * the value is capped at 10 s.
 */
public final class CooperativeSleep {
    public static final String ENV = "GPUCOLO_SLEEP_FILE";
    static final long MAX_MS = 10_000;
    private final Path file;

    CooperativeSleep(Path file) {
        this.file = file;
    }

    public static CooperativeSleep fromEnv(Map<String, String> env) {
        String f = env.get(ENV);
        return new CooperativeSleep(f == null || f.isBlank() ? null : Path.of(f));
    }

    /** The sleep currently requested, ms (0 when none). */
    public long currentMs() {
        if (file == null) {
            return 0;
        }
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8).trim();
            return s.isEmpty() ? 0 : Math.max(0, Math.min(MAX_MS, Long.parseLong(s)));
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** Sleeps the requested time; returns the ms slept. */
    public long pause() throws InterruptedException {
        long ms = currentMs();
        if (ms > 0) {
            Thread.sleep(ms);
        }
        return ms;
    }
}
