package io.gpucolo.node.bench;

import io.gpucolo.node.actuator.RaisedPriority;
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
 *   <li>Actuation latency ({@link ActuationLatency}: stop delivered, stop seen in /proc, resume at the lease's end),
 *   in a child process at noded's priority (nice -10 under root, as the systemd unit runs noded).</li>
 * </ol>
 */
@Command(name = "noded-overhead", mixinStandardHelpOptions = true,
        description = "noded's CPU per controlled GPU at a 1 s period (--period-ms), and SIGSTOP/SIGCONT actuation latency.")
public final class OverheadCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--seconds", description = "measured seconds, idle and controlling each (default: ${DEFAULT-VALUE})")
    int seconds = 60;

    @Option(names = "--period-ms", description = "noded's inner period while its CPU is measured, ms, 100..10000 (default: "
            + "${DEFAULT-VALUE}, the issue's condition; noded's own default is 500)")
    int periodMs = 1000;

    @Option(names = "--actuations", description = "stop/resume pairs timed (default: ${DEFAULT-VALUE})")
    int actuations = 200;

    @Option(names = "--actuation-of", hidden = true, description = "internal: time the actuation of this pid and exit")
    long actuationOf;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (actuationOf > 1) {
            Path dir = Files.createTempDirectory("gpucolo-actuation-");
            try {
                ActuationLatency.measure(actuationOf, actuations, dir.resolve("leases")).lines().forEach(out::println);
            } finally {
                deleteTree(dir);
            }
            out.flush();
            return 0;
        }
        if (seconds < 5 || actuations < 10 || periodMs < 100 || periodMs > 10_000) {
            spec.commandLine().getErr().println("gpucolo bench noded-overhead: need --seconds >= 5, --actuations >= 10 and "
                    + "--period-ms 100..10000");
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
            Path origin = dir.resolve("origin");
            StandIns.writeOrigin(origin, java.time.Clock.systemUTC().millis());
            int port = procs.inference(0, schedule, origin, 3600);
            long train = procs.plainTraining(0, 100);
            double[] cpu = nodedCpu(launcher, dir, port, train, out);
            double perGpu = 100 * Math.max(0, cpu[1] - cpu[0]) / seconds;
            out.printf(Locale.ROOT, "noded CPU over %d s: idle %.3f s (%.2f %% of a core), controlling one GPU %.3f s%n",
                    seconds, cpu[0], 100 * cpu[0] / seconds, cpu[1]);
            double[] p99 = actuation(launcher, dir, train, out);
            out.printf(Locale.ROOT, "noded overhead: %.2f %% of a core per controlled GPU at %s s; actuation p99 %.2f ms "
                    + "(stop signalled %.2f, resume signalled %.2f; seen in /proc: stop %.2f, resume %.2f)%n", perGpu,
                    java.math.BigDecimal.valueOf(periodMs, 3).stripTrailingZeros().toPlainString(),
                    Math.max(p99[0], p99[1]), p99[0], p99[1], p99[2], p99[3]);
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
                "--metrics-port", "-1", "--push-port", "-1", "--period-ms", Integer.toString(periodMs),
                "--slurm-user", System.getProperty("user.name"));
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
     * The actuation latency, measured in a child at noded's priority (nice -10, as etc/gpucolo-noded.service.example
     * runs it) when this runs as root; returns p99 ms: stop signalled, resume signalled, stop and resume seen in /proc.
     */
    private double[] actuation(String launcher, Path dir, long train, PrintWriter out) throws Exception {
        List<String> raised = RaisedPriority.prefix();
        List<String> cmd = new ArrayList<>(raised);
        cmd.addAll(List.of(launcher, "bench", "noded-overhead", "--actuation-of", Long.toString(train), "--actuations",
                Integer.toString(actuations)));
        Path log = dir.resolve("actuation.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(30L * actuations + 120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("the actuation run did not finish");
        }
        double[] p99 = null;
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("actuation p99 ms: ")) {
                String[] f = line.substring(18).trim().split(" ");
                p99 = new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3])};
            } else if (!line.contains("lease watchdog")) {
                out.println(line);
            }
        }
        if (p99 == null) {
            throw new IOException("the actuation run failed (exit " + p.exitValue() + "): see the lines above");
        }
        out.println("actuation measured at nice " + (raised.isEmpty() ? "0" : "-10"));
        return p99;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
