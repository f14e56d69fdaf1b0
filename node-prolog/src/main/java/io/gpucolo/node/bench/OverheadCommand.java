package io.gpucolo.node.bench;

import io.gpucolo.node.actuator.DutyCycler;
import io.gpucolo.node.actuator.LeaseGuard;
import io.gpucolo.node.actuator.PauseTarget;
import io.gpucolo.node.actuator.Pauser;
import io.gpucolo.node.actuator.Signaller;
import io.gpucolo.node.noded.ControlTelemetry;
import io.gpucolo.node.noded.GpuController;
import io.gpucolo.node.noded.Laws;
import io.gpucolo.node.sensor.ScrapeSensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gpucolo bench noded-overhead}: what the node controller costs. (1) CPU per controlled GPU at a 1 s period:
 * one GPU's production loop (scrape sensor on a real inference stand-in, our laws, SIGSTOP/SIGCONT with leases, the
 * out-of-process watchdog) runs for {@code --seconds}; the CPU of this JVM, of its reaped children ({@code kill}) and
 * of the watchdog, minus the same JVM idle for as long, over wall time. (2) Stop/resume actuation latency: the time
 * from the call to the kernel showing the process stopped ('T' in /proc) and running again, through the production
 * path ({@link Signaller} coprocess, children included).
 */
@Command(name = "noded-overhead", mixinStandardHelpOptions = true,
        description = "noded's CPU per controlled GPU at a 1 s period, and SIGSTOP/SIGCONT actuation latency.")
public final class OverheadCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--seconds", description = "measured seconds (default: ${DEFAULT-VALUE})")
    int seconds = 30;

    @Option(names = "--actuations", description = "stop/resume pairs timed (default: ${DEFAULT-VALUE})")
    int actuations = 200;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (seconds < 5 || actuations < 10) {
            spec.commandLine().getErr().println("gpucolo bench noded-overhead: need --seconds >= 5 and --actuations >= 10");
            return 2;
        }
        Path dir = Files.createTempDirectory("gpucolo-overhead-");
        Path schedule = Files.writeString(dir.resolve("schedule"), "0 150\n");
        try (StandIns procs = new StandIns(dir, 1);
             LeaseGuard guard = new LeaseGuard(dir.resolve("leases"), Duration.ofSeconds(2), true)) {
            int port = procs.inference(0, schedule, java.time.Clock.systemUTC().millis(), 3600);
            long train = procs.plainTraining(0);
            Thread.sleep(3000);
            double idle = cpuSeconds(guard.watchdogPid(), seconds);
            GpuController c = new GpuController(0, (share, slo) -> Laws.OURS.create(Duration.ofSeconds(1), share, slo,
                    Clock.systemUTC().instant()), new DutyCycler(guard, Duration.ofSeconds(1)), (j, s, p) -> List.of(),
                    Runnable::run, Clock.systemUTC(), ControlTelemetry.NONE, 3);
            c.addInference("infer", new ScrapeSensor("infer", 30, URI.create("http://127.0.0.1:" + port + "/metrics"),
                    "emu_inference_request_duration_seconds", Duration.ofMillis(500)));
            c.addTraining(new GpuController.Training("train", new PauseTarget.Pids(List.of(train)), null, 100));
            ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
            loop.scheduleAtFixedRate(c::tick, 0, 1, TimeUnit.SECONDS);
            Thread.sleep(2000);
            double busy = cpuSeconds(guard.watchdogPid(), seconds);
            loop.shutdownNow();
            loop.awaitTermination(5, TimeUnit.SECONDS);
            guard.resumeAll();
            double percent = 100 * Math.max(0, busy - idle) / seconds;
            out.printf(Locale.ROOT, "loop CPU: %.3f s busy vs %.3f s idle over %d s (duty cycle at the end %.2f)%n",
                    busy, idle, seconds, c.duty());
            Histogram stop = new Histogram(10_000_000_000L, 3);
            Histogram resume = new Histogram(10_000_000_000L, 3);
            PauseTarget t = new PauseTarget.Pids(List.of(train));
            try (Signaller signaller = new Signaller()) {
                for (int i = 0; i < actuations; i++) {
                    stop.recordValue(time(t, true, signaller));
                    resume.recordValue(time(t, false, signaller));
                }
            }
            out.printf(Locale.ROOT, "stop (call to state T): p50 %.2f ms, p99 %.2f ms; resume: p50 %.2f ms, p99 %.2f ms%n",
                    stop.getValueAtPercentile(50) / 1e6, stop.getValueAtPercentile(99) / 1e6,
                    resume.getValueAtPercentile(50) / 1e6, resume.getValueAtPercentile(99) / 1e6);
            out.printf(Locale.ROOT, "noded overhead: %.2f %% of a core per controlled GPU at 1 s; actuation p99 %.2f ms%n",
                    percent, Math.max(stop.getValueAtPercentile(99), resume.getValueAtPercentile(99)) / 1e6);
            out.flush();
        }
        return 0;
    }

    /** CPU seconds of this JVM, its reaped children and the watchdog process during the next {@code s} seconds. */
    private static double cpuSeconds(long watchdog, int s) throws IOException, InterruptedException {
        double before = procCpu("self", true) + procCpu(Long.toString(watchdog), false);
        Thread.sleep(s * 1000L);
        return procCpu("self", true) + procCpu(Long.toString(watchdog), false) - before;
    }

    /** utime + stime (+ cutime + cstime) of /proc/PID/stat, seconds (clock ticks of 1/100 s). */
    private static double procCpu(String pid, boolean children) throws IOException {
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        if (children) {
            ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
        }
        return ticks / 100.0;
    }

    private static long time(PauseTarget t, boolean stop, Signaller signaller) throws IOException {
        long pid = ((PauseTarget.Pids) t).pids().get(0);
        long t0 = System.nanoTime();
        Pauser.apply(t, stop, signaller);
        while ((Pauser.procState(pid) == 'T') != stop) {
            Thread.onSpinWait();
        }
        return System.nanoTime() - t0;
    }
}
