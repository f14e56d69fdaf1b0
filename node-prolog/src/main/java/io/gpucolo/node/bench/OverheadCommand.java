package io.gpucolo.node.bench;

import io.gpucolo.node.actuator.LeaseGuard;
import io.gpucolo.node.actuator.PauseTarget;
import io.gpucolo.node.actuator.Pauser;
import io.gpucolo.node.noded.JobRegistration;
import io.gpucolo.node.noded.NodedClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gpucolo bench noded-overhead}: what the node controller costs.
 * <ol>
 *   <li>CPU: the real daemon, {@code gpucolo noded} started through the launcher (its own JVM and options), first
 *   with nothing registered, then controlling one GPU (an inference stand-in scraped over HTTP, a training stand-in
 *   duty-cycled by SIGSTOP/SIGCONT with leases, the lease watchdog and the signal coprocess). CPU is the process CPU
 *   time (utime + stime from /proc) of noded and every process under it (watchdog, signal coprocess, reaped
 *   children), over {@code --seconds} each; per controlled GPU = controlling − idle.</li>
 *   <li>Actuation latency, through the production path ({@link LeaseGuard}: lease state file, watchdog line, signal
 *   coprocess): stop = from the call to its return (signal delivered) and to the kernel showing the process stopped
 *   ('T' in /proc), under a 300 ms lease; resume = from a 100 ms lease's end to the process running again (the lease
 *   timer resumes it, as in the duty cycle). The wait polls
 *   /proc every 20 µs, sleeping in between, so the measurement does not take the CPU the target needs.</li>
 * </ol>
 */
@Command(name = "noded-overhead", mixinStandardHelpOptions = true,
        description = "noded's CPU per controlled GPU at a 1 s period, and SIGSTOP/SIGCONT actuation latency.")
public final class OverheadCommand implements Callable<Integer> {
    private static final long LEASE_MS = 100;
    private static final long STOP_LEASE_MS = 300;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--seconds", description = "measured seconds, idle and controlling each (default: ${DEFAULT-VALUE})")
    int seconds = 60;

    @Option(names = "--actuations", description = "stop/resume pairs timed (default: ${DEFAULT-VALUE})")
    int actuations = 200;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (seconds < 5 || actuations < 10) {
            spec.commandLine().getErr().println("gpucolo bench noded-overhead: need --seconds >= 5 and --actuations >= 10");
            return 2;
        }
        String launcher = System.getenv("GPUCOLO_LAUNCHER");
        if (launcher == null || !Files.isExecutable(Path.of(launcher))) {
            spec.commandLine().getErr().println("gpucolo bench noded-overhead: run it through bin/gpucolo "
                    + "(GPUCOLO_LAUNCHER names the launcher that starts noded)");
            return 2;
        }
        Path dir = Files.createTempDirectory("gpucolo-overhead-");
        Path schedule = Files.writeString(dir.resolve("schedule"), "0 150\n");
        try (StandIns procs = new StandIns(dir, 1)) {
            int port = procs.inference(0, schedule, java.time.Clock.systemUTC().millis(), 3600);
            long train = procs.plainTraining(0);
            double[] cpu = nodedCpu(launcher, dir, port, train, out);
            double perGpu = 100 * Math.max(0, cpu[1] - cpu[0]) / seconds;
            out.printf(Locale.ROOT, "noded CPU over %d s: idle %.3f s (%.2f %% of a core), controlling one GPU %.3f s%n",
                    seconds, cpu[0], 100 * cpu[0] / seconds, cpu[1]);
            Histogram signalled = new Histogram(10_000_000_000L, 3);
            Histogram stop = new Histogram(10_000_000_000L, 3);
            Histogram resume = new Histogram(10_000_000_000L, 3);
            PauseTarget t = new PauseTarget.Pids(List.of(train));
            int missed = 0;
            try (LeaseGuard guard = new LeaseGuard(dir.resolve("leases"), Duration.ofSeconds(2), true)) {
                for (int i = 0; i < actuations; i++) {
                    // stop: a lease long enough that a stalled measuring thread cannot miss the stopped state
                    long t0 = System.nanoTime();
                    guard.stop(t, Duration.ofMillis(STOP_LEASE_MS));
                    signalled.recordValue(System.nanoTime() - t0);
                    long stopped = awaitState(train, true, t0 + TimeUnit.SECONDS.toNanos(5));
                    if (stopped < 0) {
                        throw new IOException("actuation " + (i + 1) + ": process " + train + " did not stop within 5 s");
                    }
                    stop.recordValue(stopped - t0);
                    awaitState(train, false, t0 + TimeUnit.SECONDS.toNanos(5));
                    Thread.sleep(5);
                    // resume at a short lease's end, as in the duty cycle; a sample whose stop was not seen before the
                    // lease ended (the measuring thread was off the CPU) is counted as missed, not guessed
                    long t1 = System.nanoTime();
                    long end = t1 + TimeUnit.MILLISECONDS.toNanos(LEASE_MS);
                    guard.stop(t, Duration.ofMillis(LEASE_MS));
                    if (awaitState(train, true, end) < 0) {
                        missed++;
                    } else {
                        long running = awaitState(train, false, end + TimeUnit.SECONDS.toNanos(5));
                        if (running < 0) {
                            throw new IOException("actuation " + (i + 1) + ": process " + train + " still stopped 5 s after its lease");
                        }
                        resume.recordValue(Math.max(0, running - end));
                    }
                    awaitState(train, false, end + TimeUnit.SECONDS.toNanos(5));
                    Thread.sleep(5);
                }
            }
            if (missed > 0) {
                out.printf(Locale.ROOT, "resume samples missed (stop not seen before the %d ms lease ended): %d of %d%n",
                        LEASE_MS, missed, actuations);
            }
            out.printf(Locale.ROOT, "stop, call to SIGSTOP delivered (the call returned): p50 %.2f ms, p99 %.2f ms%n",
                    signalled.getValueAtPercentile(50) / 1e6, signalled.getValueAtPercentile(99) / 1e6);
            out.printf(Locale.ROOT, "stop, call to state T in /proc (includes the target's own wait for a CPU): p50 %.2f ms, "
                    + "p99 %.2f ms%n", stop.getValueAtPercentile(50) / 1e6, stop.getValueAtPercentile(99) / 1e6);
            out.printf(Locale.ROOT, "resume, lease end to running in /proc: p50 %.2f ms, p99 %.2f ms%n",
                    resume.getValueAtPercentile(50) / 1e6, resume.getValueAtPercentile(99) / 1e6);
            out.printf(Locale.ROOT, "noded overhead: %.2f %% of a core per controlled GPU at 1 s; actuation p99 %.2f ms "
                            + "(stop signalled %.2f, resumed %.2f; stop seen in /proc %.2f)%n", perGpu,
                    Math.max(signalled.getValueAtPercentile(99), resume.getValueAtPercentile(99)) / 1e6,
                    signalled.getValueAtPercentile(99) / 1e6, resume.getValueAtPercentile(99) / 1e6,
                    stop.getValueAtPercentile(99) / 1e6);
            out.flush();
        } finally {
            deleteTree(dir);
        }
        return 0;
    }

    /** CPU seconds of the noded process tree: idle, then controlling the GPU of {@code train} and the scraped server. */
    private double[] nodedCpu(String launcher, Path dir, int port, long train, PrintWriter out) throws Exception {
        Path socket = dir.resolve("noded.sock");
        List<String> cmd = List.of(launcher, "noded", "--socket", socket.toString(), "--state-dir", dir.resolve("state").toString(),
                "--metrics-port", "-1", "--push-port", "-1", "--slurm-user", System.getProperty("user.name"));
        Process noded = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("noded.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(socket)) {
                if (!noded.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("noded did not start: see " + dir.resolve("noded.log"));
                }
                Thread.sleep(50);
            }
            Thread.sleep(3000);
            double idle = treeCpu(noded.pid(), seconds);
            NodedClient client = new NodedClient(socket, Duration.ofSeconds(5));
            client.register(JobRegistration.inference("1", 0, "infer", 30, "http://127.0.0.1:" + port + "/metrics",
                    "emu_inference_request_duration_seconds"));
            client.register(JobRegistration.training("2", 0, List.of(train), null, 100));
            Thread.sleep(5000);
            double busy = treeCpu(noded.pid(), seconds);
            out.println("noded status at the end: " + client.status().replaceAll("\\s+", " "));
            client.deregister("2");
            return new double[] {idle, busy};
        } finally {
            noded.destroy();
            if (!noded.waitFor(10, TimeUnit.SECONDS)) {
                noded.destroyForcibly();
            }
        }
    }

    /** CPU seconds used by {@code pid} and its descendants (reaped children included) over the next {@code s} seconds. */
    private static double treeCpu(long pid, int s) throws InterruptedException {
        double before = treeCpuNow(pid);
        Thread.sleep(s * 1000L);
        return treeCpuNow(pid) - before;
    }

    private static double treeCpuNow(long pid) {
        List<Long> pids = new ArrayList<>(List.of(pid));
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
        double sum = 0;
        for (long p : pids) {
            sum += procCpu(p);
        }
        return sum;
    }

    /** utime + stime + cutime + cstime of /proc/PID/stat, seconds (clock ticks of 1/100 s); 0 when gone. */
    private static double procCpu(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * Polls /proc (sleeping 20 µs between reads) until the process is stopped or running; returns System.nanoTime()
     * then, or -1 at {@code deadline}.
     */
    private static long awaitState(long pid, boolean stopped, long deadline) throws IOException {
        while (true) {
            char s = Pauser.procState(pid);
            long now = System.nanoTime();
            if ((s == 'T') == stopped) {
                return now;
            }
            if (s == '?') {
                throw new IOException("process " + pid + " is gone");
            }
            if (now > deadline) {
                return -1;
            }
            LockSupport.parkNanos(20_000);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
