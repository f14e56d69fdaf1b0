package io.gpucolo.node.hooks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Log lines of one hook run: to stderr (slurmd's log) and appended to {@code STATE/hooks.log}. */
final class HookLog {
    private final String prefix;
    private final PrintStream err;
    private final Path file;

    HookLog(String hook, String jobId, PrintStream err, Path file) {
        this.prefix = "gpucolo " + hook + ": job " + jobId + ": ";
        this.err = err;
        this.file = file;
    }

    void info(String msg) {
        write(msg);
    }

    void warn(String msg) {
        write("warning: " + msg);
    }

    /** As {@link Instant#toString()} (UTC, ISO-8601) without DateTimeFormatter, whose set-up a hook would pay for. */
    static String stamp(Instant t) {
        return LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(), ZoneOffset.UTC) + "Z";
    }

    private void write(String msg) {
        String line = prefix + msg;
        err.println(line);
        err.flush();
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, stamp(Instant.now()) + " " + line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            err.println(prefix + "warning: cannot append to " + file + ": " + e.getMessage());
        }
    }
}
