package io.gpucolo.node.bench;

import io.gpucolo.node.actuator.DutyCycler;
import io.gpucolo.node.actuator.LeaseGuard;
import io.gpucolo.node.actuator.PauseTarget;
import io.gpucolo.node.launcher.LauncherClient;
import io.gpucolo.node.noded.ControlTelemetry;
import io.gpucolo.node.noded.GpuController;
import io.gpucolo.node.noded.LauncherShareChanger;
import io.gpucolo.node.sensor.ScrapeSensor;
import io.gpucolo.node.sensor.SensorUnavailableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One batch of the burst benchmark: up to four scenarios at once, each on its own emulated GPU with its own real
 * inference and training stand-ins and its own controller (the production {@link GpuController}, sensor and
 * actuators). Timeline: {@code calibrate} seconds with training free (the benchmark measures the p99 there), then the
 * controllers start; the load doubles at {@code step} for {@code burst} seconds; the run ends at {@code end}.
 */
final class BurstBench {
    /**
     * @param period the controllers' inner period, seconds (every scenario's loop ticks at it)
     * @param warmup the longest wait, seconds, for every inference stand-in to report latencies before the 0 s
     */
    record Timeline(double calibrate, double step, double burst, double end, double rate, double period, double warmup) {
    }

    /** The benchmark cannot judge anything (no latency data): one clear line, naming the work directory. */
    static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    record Result(Scenario scenario, double violationPercent, int recoveryPeriods, long iterations, int shareChanges) {
    }

    private static final String METRIC = "emu_inference_request_duration_seconds";

    private final Path dir;
    private final Timeline t;
    private final PrintWriter log;

    BurstBench(Path dir, Timeline timeline, PrintWriter log) {
        this.dir = dir;
        this.t = timeline;
        this.log = log;
    }

    /**
     * Runs the scenarios; {@code slo} NaN means "calibrate": the SLO becomes {@code sloFactor} × the median of the
     * 1-s window p99s seen in the second half of the calibration, with training free at base load (the service runs
     * at its SLO next to training). A {@code meanOverP99} of 0 is measured there too (with a given SLO).
     * Returns the results and, through {@code calibration}, the SLO and mean/p99 ratio used.
     */
    List<Result> run(List<Scenario> scenarios, double slo, double meanOverP99, double[] calibration, double sloFactor)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path schedule = dir.resolve("schedule");
        Files.writeString(schedule, String.format(Locale.ROOT, "0 %s%n%s %s%n%s %s%n", t.rate(), t.step(), 2 * t.rate(),
                t.step() + t.burst(), t.rate()));
        int n = scenarios.size();
        Duration period = Duration.ofNanos(Math.round(t.period() * 1e9));
        ScheduledExecutorService exec = Executors.newScheduledThreadPool(2);
        try (StandIns procs = new StandIns(dir, n);
             LeaseGuard guard = new LeaseGuard(dir.resolve("leases"), Duration.ofSeconds(2), false)) {
            int[] ports = new int[n];
            Path[] launchers = new Path[n];
            long[] trainPids = new long[n];
            for (int i = 0; i < n; i++) {
                Scenario sc = scenarios.get(i);
                if (sc.restarts()) {
                    launchers[i] = procs.training(i, sc.share());
                } else if (sc.trains()) {
                    trainPids[i] = procs.plainTraining(i, sc.share());
                }
            }
            Path origin = dir.resolve("origin");
            for (int i = 0; i < n; i++) {
                ports[i] = procs.inference(i, schedule, origin, t.warmup() + t.end() + 300);
            }
            awaitLatencies(procs, ports);
            // the benchmark's 0 s: the schedule's 0 s of every inference stand-in (they step together, on the judges'
            // 1-s window boundaries), once every one of them serves
            long t0 = System.nanoTime();
            StandIns.writeOrigin(origin, Clock.systemUTC().millis());
            List<Judge> judges = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                judges.add(new Judge(new ScrapeSensor("infer" + i, 1, metrics(ports[i]), METRIC, Duration.ofMillis(800))));
            }
            // the judges' windows are the benchmark's whole seconds [s - 1, s), so the step falls on a window boundary
            double aligned = Math.ceil((System.nanoTime() - t0) / 1e9 + 0.05);
            sleepUntil(t0, aligned);
            for (Judge j : judges) {
                j.read(aligned, Double.NaN, 0);
            }
            List<GpuController> controllers = new CopyOnWriteArrayList<>();
            exec.scheduleAtFixedRate(() -> {
                double s = Math.round((System.nanoTime() - t0) / 1e9);
                for (int i = 0; i < judges.size(); i++) {
                    GpuController c = i < controllers.size() ? controllers.get(i) : null;
                    judges.get(i).read(s, c == null ? Double.NaN : c.duty(), c == null ? 0 : c.share());
                }
            }, t0 + (long) ((aligned + 1) * 1e9) - System.nanoTime(), 1_000_000_000L, TimeUnit.NANOSECONDS);
            sleepUntil(t0, t.calibrate());
            if (Double.isNaN(slo) || !(meanOverP99 > 0)) {
                List<Double> p99s = new ArrayList<>();
                double ratio = 0;
                for (Judge j : judges) {
                    double[] c = j.calibrate(t.calibrate() / 2, t.calibrate() + 1);
                    p99s.add(c[0]);
                    ratio += c[1] / n;
                }
                p99s.sort(null);
                slo = Double.isNaN(slo) ? sloFactor * p99s.get(p99s.size() / 2) : slo;
                meanOverP99 = ratio;
                if (!(slo > 0) || !(meanOverP99 > 0)) {
                    throw new Refused(String.format(Locale.ROOT, "the calibration found no 1-s latency window with requests "
                            + "between %.0f and %.0f s on some inference stand-in, so there is no SLO to judge by; logs and "
                            + "traces in %s", t.calibrate() / 2, t.calibrate() + 1, dir));
                }
            }
            calibration[0] = slo;
            calibration[1] = meanOverP99;
            log.printf(Locale.ROOT, "SLO p99 %.2f ms (mean/p99 %.2f); controllers start at %.0f s%n", slo, meanOverP99, t.calibrate());
            log.flush();
            long[] startIterations = new long[n];
            AtomicInteger[] changes = new AtomicInteger[n];
            List<GpuController> started = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                startIterations[i] = procs.iterations(i);
                changes[i] = new AtomicInteger();
                AtomicInteger count = changes[i];
                Scenario sc = scenarios.get(i);
                GpuController c = new GpuController(i, sc.laws(period, meanOverP99, Clock.systemUTC().instant()),
                        new DutyCycler(guard, period), new LauncherShareChanger(Duration.ofSeconds(60)),
                        Executors.newSingleThreadExecutor(r -> {
                            Thread th = new Thread(r, "bench-share-" + sc.kind());
                            th.setDaemon(true);
                            return th;
                        }), Clock.systemUTC(), ControlTelemetry.NONE, 3);
                started.add(sc.trains() ? c : null);
                if (!sc.trains()) {
                    continue;
                }
                List<Long> pids = launchers[i] != null ? new LauncherClient(launchers[i], Duration.ofSeconds(5)).pids()
                        : List.of(trainPids[i]);
                c.addInference("infer" + i, new ScrapeSensor("infer" + i, slo, metrics(ports[i]), METRIC, Duration.ofMillis(500)));
                c.addTraining(new GpuController.Training("train" + i, new PauseTarget.Pids(pids),
                        launchers[i] == null ? null : launchers[i].toString(), sc.share()));
                if (sc.controlled()) {
                    exec.scheduleAtFixedRate(() -> {
                        int before = c.share();
                        c.tick();
                        if (c.share() != before) {
                            count.incrementAndGet();
                        }
                    }, 0, period.toNanos(), TimeUnit.NANOSECONDS);
                }
            }
            controllers.addAll(started);
            sleepUntil(t0, t.end());
            exec.shutdownNow();
            exec.awaitTermination(5, TimeUnit.SECONDS);
            guard.resumeAll();
            List<Result> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Judge j = judges.get(i);
                results.add(new Result(scenarios.get(i), j.violationPercent(slo, t.calibrate() + 1, t.end() + 1),
                        j.recoveryPeriods(slo, t.step(), t.period()), procs.iterations(i) - startIterations[i],
                        changes[i].get()));
                writeTrace(i, scenarios.get(i), j);
            }
            return results;
        } finally {
            exec.shutdownNow();
        }
    }

    private void writeTrace(int gpu, Scenario s, Judge j) throws IOException {
        StringBuilder b = new StringBuilder("# " + s.name() + "\n# second p99_ms mean_ms requests duty share\n");
        for (Judge.Window w : j.windows()) {
            b.append(String.format(Locale.ROOT, "%.0f %.3f %.3f %d %.3f %d%n", w.second(), w.p99Ms(), w.meanMs(), w.count(),
                    w.duty(), w.share()));
        }
        Files.writeString(dir.resolve("windows" + gpu + ".txt"), b.toString());
    }

    /**
     * Waits until every inference stand-in has reported at least one latency (a JVM, and on a real GPU a CUDA context
     * and the kernel's calibration, take a while), at most {@code warmup} seconds; refuses to go on otherwise.
     */
    private void awaitLatencies(StandIns procs, int[] ports) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + (long) (t.warmup() * 1e9);
        for (int i = 0; i < ports.length; i++) {
            try (ScrapeSensor probe = new ScrapeSensor("infer" + i, 1, metrics(ports[i]), METRIC, Duration.ofMillis(800))) {
                while (true) {
                    try {
                        if (probe.read().hasData()) {
                            break;
                        }
                    } catch (SensorUnavailableException e) {
                        // not serving yet
                    }
                    procs.checkAlive("waiting for inference latencies");
                    if (System.nanoTime() > deadline) {
                        throw new Refused(String.format(Locale.ROOT, "inference stand-in %d reported no latency within %.0f s "
                                + "of its start (--warmup-s), so there is nothing to calibrate or judge; logs in %s", i,
                                t.warmup(), dir));
                    }
                    Thread.sleep(200);
                }
            }
        }
    }

    private static URI metrics(int port) {
        return URI.create("http://127.0.0.1:" + port + "/metrics");
    }

    private static void sleepUntil(long t0, double second) throws InterruptedException {
        long left = t0 + (long) (second * 1e9) - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
