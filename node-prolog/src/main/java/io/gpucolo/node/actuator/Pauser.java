package io.gpucolo.node.actuator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Stops and resumes a {@link PauseTarget}. Java cannot send SIGSTOP itself, so signals go through {@code kill} at an
 * absolute path with an argument list (never a shell); the pids' live descendants are included, so a training
 * launcher's workers stop with it. A cgroup freezer is written directly. Stateless and thread-safe; used by noded and
 * by the lease watchdog.
 */
public final class Pauser {
    private static final Path KILL = Files.isExecutable(Path.of("/bin/kill")) ? Path.of("/bin/kill") : Path.of("/usr/bin/kill");

    private Pauser() {
    }

    public static void stop(PauseTarget target) throws IOException {
        apply(target, true);
    }

    public static void resume(PauseTarget target) throws IOException {
        apply(target, false);
    }

    /** Stops or resumes through a {@link Signaller} coprocess (no process start per signal). */
    public static void apply(PauseTarget target, boolean stop, Signaller signaller) throws IOException {
        if (target instanceof PauseTarget.Pids p) {
            List<Long> all = withDescendants(p.pids());
            if (!all.isEmpty()) {
                signaller.signal(all, stop);
            }
        } else {
            apply(target, stop);
        }
    }

    private static void apply(PauseTarget target, boolean stop) throws IOException {
        if (target instanceof PauseTarget.Pids p) {
            killAll(withDescendants(p.pids()), stop ? "-STOP" : "-CONT");
        } else if (target instanceof PauseTarget.Freezer f) {
            Path file = f.cgroup().resolve(f.v2() ? "cgroup.freeze" : "freezer.state");
            String value = f.v2() ? (stop ? "1" : "0") : (stop ? "FROZEN" : "THAWED");
            Files.writeString(file, value, StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
        }
    }

    /**
     * The live processes among {@code pids} and their descendants, read from {@code /proc/PID/task/TID/children}
     * (microseconds for a job's small tree; {@link ProcessHandle#descendants()} scans all of /proc, tens of ms on a
     * busy node), or through ProcessHandle where that file does not exist.
     */
    static List<Long> withDescendants(List<Long> pids) {
        Set<Long> all = new LinkedHashSet<>();
        for (long pid : pids) {
            if (Files.isDirectory(Path.of("/proc", Long.toString(pid), "task"))) {
                addTree(pid, all);
            }
        }
        return List.copyOf(all);
    }

    private static void addTree(long pid, Set<Long> all) {
        if (!all.add(pid) || all.size() > 4096) {
            return;
        }
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tasks)) {
            for (Path task : ds) {
                Path children = task.resolve("children");
                if (!Files.exists(children)) {
                    ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> all.add(d.pid())));
                    return;
                }
                for (String c : Files.readString(children).trim().split(" ")) {
                    if (!c.isEmpty()) {
                        addTree(Long.parseLong(c), all);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process exited while we looked: what we have is what is alive
        }
    }

    /** Signals {@code all} with {@code /bin/kill}; processes already gone are skipped. */
    static void killAll(List<Long> all, String signal) throws IOException {
        if (all.isEmpty()) {
            return;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(KILL.toString());
        cmd.add(signal);
        cmd.add("--");
        all.forEach(p -> cmd.add(Long.toString(p)));
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!proc.waitFor(2, TimeUnit.SECONDS)) {
                proc.destroyForcibly();
                throw new IOException(KILL + " " + signal + " did not finish within 2 s");
            }
            // a non-zero exit means some process exited meanwhile: the rest were signalled
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while signalling " + all, e);
        }
    }

    /** The state letter of a process in /proc (for example 'T' when stopped), or '?' when it is gone. */
    public static char procState(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')');
            return stat.charAt(close + 2);
        } catch (IOException | RuntimeException e) {
            return '?';
        }
    }
}
