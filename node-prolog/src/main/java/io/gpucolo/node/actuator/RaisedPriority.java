package io.gpucolo.node.actuator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The command prefix that starts a process ahead of the jobs for a CPU: {@code /usr/bin/nice -n -10} when this
 * process may raise a priority (it runs as root) and {@code nice} is there; otherwise nothing (the process starts at
 * the normal priority). Used for noded's signal coprocess (stop latency) and by the benchmarks.
 */
public final class RaisedPriority {
    private static final Path NICE = Path.of("/usr/bin/nice");

    private RaisedPriority() {
    }

    /** The prefix, or an empty list when the priority cannot be raised. */
    public static List<String> prefix() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(NICE)
                ? List.of(NICE.toString(), "-n", "-10") : List.of();
    }
}
