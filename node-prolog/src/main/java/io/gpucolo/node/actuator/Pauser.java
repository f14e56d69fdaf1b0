package io.gpucolo.node.actuator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

    private static void apply(PauseTarget target, boolean stop) throws IOException {
        if (target instanceof PauseTarget.Pids p) {
            signal(p.pids(), stop ? "-STOP" : "-CONT");
        } else if (target instanceof PauseTarget.Freezer f) {
            Path file = f.cgroup().resolve(f.v2() ? "cgroup.freeze" : "freezer.state");
            String value = f.v2() ? (stop ? "1" : "0") : (stop ? "FROZEN" : "THAWED");
            Files.writeString(file, value, StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
        }
    }

    /** Signals the live processes among {@code pids} and their descendants; processes already gone are skipped. */
    private static void signal(List<Long> pids, String signal) throws IOException {
        Set<Long> all = new LinkedHashSet<>();
        for (long pid : pids) {
            ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(h -> {
                all.add(h.pid());
                h.descendants().forEach(d -> all.add(d.pid()));
            });
        }
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
