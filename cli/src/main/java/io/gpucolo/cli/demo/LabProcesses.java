package io.gpucolo.cli.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.Set;

/**
 * Finds processes on this machine by reading {@code /proc}: those that belong to a demo lab (every process
 * the demo starts, and everything they start, Slurm daemons and jobs included, carries the environment
 * marker {@code GPUCOLO_DEMO_LAB=<lab dir>}), and Slurm daemons that belong to someone else. Used before a
 * run (a stale lab from a killed run is torn down; a foreign Slurm makes the demo refuse) and after it (no
 * process may be left behind).
 */
final class LabProcesses {
    static final String MARKER = "GPUCOLO_DEMO_LAB";
    private static final Set<String> SLURM_DAEMONS = Set.of("slurmctld", "slurmd", "slurmstepd", "slurmrestd");

    /** A process found in /proc. */
    record Found(long pid, String name, String detail) {
        @Override
        public String toString() {
            return name + " (pid " + pid + (detail.isEmpty() ? "" : ", " + detail) + ")";
        }
    }

    private final Path proc;

    LabProcesses(Path proc) {
        this.proc = proc;
    }

    LabProcesses() {
        this(Path.of("/proc"));
    }

    /**
     * Processes of {@code lab}: those carrying its marker, and those whose {@code SLURM_CONF} is the lab's
     * (Slurm builds its step daemons' and jobs' environment itself); excluding this process and its ancestors.
     */
    List<Found> ofLab(Path lab) {
        String needle = MARKER + "=" + lab.toAbsolutePath().normalize();
        String conf = confOf(lab);
        List<Found> out = new ArrayList<>();
        Set<Long> mine = selfAndAncestors();
        for (long pid : pids()) {
            if (mine.contains(pid)) {
                continue;
            }
            for (String var : environ(pid)) {
                if ((var.equals(needle) || var.equals(conf)) && running(pid)) {
                    out.add(new Found(pid, comm(pid), ""));
                    break;
                }
            }
        }
        return out;
    }

    /** Slurm daemons on this machine that do not carry the marker of {@code lab}. */
    List<Found> foreignSlurm(Path lab) {
        String needle = MARKER + "=" + lab.toAbsolutePath().normalize();
        List<Found> out = new ArrayList<>();
        for (long pid : pids()) {
            String comm = comm(pid);
            if (!SLURM_DAEMONS.contains(comm) || !running(pid)) {
                continue;
            }
            List<String> env = environ(pid);
            if (env.contains(needle) || env.contains(confOf(lab))) {
                continue;
            }
            String conf = env.stream().filter(v -> v.startsWith("SLURM_CONF=")).findFirst().orElse("");
            out.add(new Found(pid, comm, conf));
        }
        return out;
    }

    /**
     * Stops the given processes: SIGTERM, up to {@code grace} to exit, then SIGKILL. Returns those that could
     * not be stopped (e.g. not permitted).
     */
    static List<Found> stop(List<Found> victims, Duration grace) {
        List<ProcessHandle> handles = new ArrayList<>();
        for (Found f : victims) {
            ProcessHandle.of(f.pid()).ifPresent(h -> {
                handles.add(h);
                h.destroy();
            });
        }
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle h : handles) {
            while (running(h.pid()) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(20_000_000L);
            }
            if (running(h.pid())) {
                h.destroyForcibly();
            }
        }
        List<Found> left = new ArrayList<>();
        long until = System.nanoTime() + 1_000_000_000L;
        for (Found f : victims) {
            while (running(f.pid()) && System.nanoTime() < until) {
                LockSupport.parkNanos(20_000_000L);
            }
            if (running(f.pid())) {
                left.add(f);
            }
        }
        return left;
    }

    /**
     * Whether {@code pid} is a live process: it exists and is not a zombie. (Where the machine's init does
     * not reap orphans, a killed orphan stays a zombie: it holds no resources and runs nothing, and
     * {@link ProcessHandle#isAlive()} still reports it.)
     */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            int close = stat.lastIndexOf(')');
            return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    private static String confOf(Path lab) {
        return "SLURM_CONF=" + lab.toAbsolutePath().normalize().resolve("etc/slurm.conf");
    }

    /** Whether nothing listens on TCP {@code port} (any address): a bind attempt succeeds. */
    static boolean portFree(int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private List<Long> pids() {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(proc)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.isEmpty() && n.chars().allMatch(Character::isDigit)) {
                    out.add(Long.parseLong(n));
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return out;
    }

    private List<String> environ(long pid) {
        try {
            byte[] raw = Files.readAllBytes(proc.resolve(Long.toString(pid)).resolve("environ"));
            return List.of(new String(raw, StandardCharsets.UTF_8).split("\0"));
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }

    private String comm(long pid) {
        try {
            return Files.readString(proc.resolve(Long.toString(pid)).resolve("comm"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    private static Set<Long> selfAndAncestors() {
        Set<Long> out = new HashSet<>();
        Optional<ProcessHandle> h = Optional.of(ProcessHandle.current());
        while (h.isPresent()) {
            out.add(h.get().pid());
            h = h.get().parent();
        }
        return out;
    }
}
