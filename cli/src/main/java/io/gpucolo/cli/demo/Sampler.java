package io.gpucolo.cli.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.DoubleConsumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Drives the load schedule second by second and watches what happens: each second it scrapes every
 * service's latency histogram (p99 of that 1-second window, from bucket deltas) and noded's gauges, and
 * every other second lists the jobs (placements, deferrals); it records all of it in the timeline, prints
 * events as they happen, and keeps a progress bar with the current p99 vs SLO per service.
 */
final class Sampler {
    private final DemoWiring wiring;
    private final SlurmJobs jobs;
    private final Timeline tl;
    private final DemoSchedule schedule;
    private final PrintStream con;
    private final Map<String, TreeMap<Double, Double>> lastBuckets = new HashMap<>();
    private final Map<Long, String> seen = new HashMap<>();
    private final Set<Long> placed = new HashSet<>();
    private final Set<Long> deferred = new HashSet<>();
    private final Set<Integer> gpusUsed = new HashSet<>();
    private final long startNs = System.nanoTime();
    private long actions;
    private int placedAsChosen;
    private double lastWork = Double.NaN;
    private double lastWorkT;
    private double lastActions = Double.NaN;

    Sampler(DemoWiring wiring, SlurmJobs jobs, Timeline tl, DemoSchedule schedule, PrintStream con) {
        this.wiring = wiring;
        this.jobs = jobs;
        this.tl = tl;
        this.schedule = schedule;
        this.con = con;
    }

    /** Demo time: seconds since this sampler was made (right before the services are submitted). */
    double now() {
        return (System.nanoTime() - startNs) / 1e9;
    }

    /**
     * Runs the load schedule to its end (the last service's burst plus cool-down), one tick a second:
     * notes services as they start serving and samples them from their first second on; once all serve,
     * calls {@code everySecond} with the seconds since then (training submissions). Fails when the services
     * do not all serve within {@code serveTimeout}, or a service job fails.
     */
    void drive(DoubleConsumer everySecond, Duration serveTimeout) {
        long tickNs = System.nanoTime();
        double servingSince = -1;
        double end = Double.POSITIVE_INFINITY;
        long estimate = schedule.totalS() + DemoWiring.START_SLACK_S + 10L;
        try (ProgressBar pb = new ProgressBarBuilder().setTaskName("load").setInitialMax(estimate).setUnit(" s", 1)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate()
                .setConsumer(new ConsoleProgressBarConsumer(con, 120)).build()) {
            for (int i = 0; now() < end; i++) {
                wiring.pollServices(now());
                if (servingSince < 0 && wiring.allServing()) {
                    servingSince = now();
                    end = wiring.serviceMetrics().keySet().stream().mapToDouble(sv -> wiring.burstStart(sv).orElseThrow())
                            .max().orElseThrow() + schedule.burstS() + schedule.cooldownS();
                    pb.maxHint((long) Math.ceil(end));
                    tl.event(now(), "service", "both services serve; training jobs start arriving");
                } else if (servingSince < 0) {
                    checkServicesAlive(serveTimeout);
                }
                if (servingSince >= 0) {
                    everySecond.accept(now() - servingSince);
                }
                pause(Math.max(0, tickNs + (i + 1) * 1_000_000_000L - System.nanoTime()) / 1_000_000);
                double t = now();
                sample(t);
                pb.stepTo(Math.min((long) t, servingSince < 0 ? estimate - 1 : (long) Math.ceil(end)));
                pb.setExtraMessage(statusLine(t));
            }
        }
    }

    private void checkServicesAlive(Duration serveTimeout) {
        if (now() > serveTimeout.toSeconds()) {
            throw new IllegalStateException("the inference services did not all start serving within "
                    + serveTimeout.toSeconds() + " s (serving: " + wiring.serviceMetrics().keySet()
                    + "; job output under the lab's out/ folder)");
        }
        jobs.list().ifPresent(list -> list.stream().filter(j -> !wiring.isTraining(j.name()))
                .filter(j -> !j.state().equals("RUNNING") && !j.state().equals("PENDING")
                        || j.state().equals("PENDING") && !j.reason().matches("None|Priority|Resources|BeginTime"))
                .findFirst().ifPresent(j -> {
                    throw new IllegalStateException("service job " + j.id() + " (" + j.name() + ") is " + j.state()
                            + " (" + j.reason() + "); see the lab's log/slurmd.log and out/ folder");
                }));
    }

    private void sample(double t) {
        for (Map.Entry<String, java.net.URI> svc : wiring.serviceMetrics().entrySet()) {
            String name = svc.getKey();
            Optional<List<Scrape.Sample>> s = Scrape.fetch(svc.getValue());
            if (s.isEmpty()) {
                continue;
            }
            TreeMap<Double, Double> now = Scrape.buckets(s.get(), wiring.latencyHistogram(), Map.of());
            TreeMap<Double, Double> before = lastBuckets.put(name, now);
            double slo = wiring.sloMs(name);
            tl.add("slo." + name, t, slo);
            if (before != null) {
                double p99 = Scrape.quantileBetween(before, now, 0.99) * wiring.latencyUnitMs();
                tl.add("p99." + name, t, Double.isInfinite(p99) ? 10 * slo : p99);
            }
        }
        double work = wiring.trainingWorkMs();
        if (Double.isFinite(work)) {
            if (Double.isFinite(lastWork) && t > lastWorkT) {
                tl.add("train.work_ms_per_s", t, (work - lastWork) / (t - lastWorkT));
            }
            lastWork = work;
            lastWorkT = t;
        }
        wiring.nodedMetrics().flatMap(Scrape::fetch).ifPresent(s -> {
            wiring.recordNoded(s, t, tl);
            double a = wiring.actionsTotal(s);
            if (Double.isFinite(a)) {
                if (Double.isFinite(lastActions) && a > lastActions) {
                    actions += (long) (a - lastActions);
                    tl.event(t, "control", (long) (a - lastActions) + " controller action(s)");
                }
                lastActions = a;
            }
        });
        if (Math.round(t) % 2 == 0) {
            jobs.list().ifPresent(list -> list.forEach(j -> note(t, j)));
        }
    }

    private void note(double t, SlurmJobs.Job j) {
        String was = seen.put(j.id(), j.state() + "|" + j.deferred() + "|" + j.gpu());
        String now = seen.get(j.id());
        if (now.equals(was)) {
            return;
        }
        if (j.gpu() >= 0) {
            gpusUsed.add(j.gpu());
        }
        boolean training = wiring.isTraining(j.name());
        String text;
        if (j.deferred()) {
            deferred.add(j.id());
            text = "deferred job " + j.id() + " (" + j.name() + "): " + j.reason();
        } else if (j.state().equals("RUNNING") && j.gpu() >= 0) {
            text = "job " + j.id() + " (" + j.name() + ") running on GPU g" + j.gpu() + " [" + j.gres() + "]";
            if (training && placed.add(j.id())) {
                Optional<SlurmJobs.Placed> where = jobs.placement(j.id());
                if (where.isPresent() && where.get().asChosen()) {
                    placedAsChosen++;
                    text += ", the GPU admitd chose (" + where.get().chosen() + ", Slurm IDX " + where.get().slurmIndex() + ")";
                } else {
                    text += where.map(w -> ", NOT the GPU admitd chose (" + w.chosen() + " vs Slurm IDX " + w.slurmIndex() + ")")
                            .orElse(", no admitd placement recorded");
                }
            }
        } else {
            text = "job " + j.id() + " (" + j.name() + ") " + j.state().toLowerCase(Locale.ROOT)
                    + (j.reason().equals("None") ? "" : " (" + j.reason() + ")");
        }
        tl.event(t, training ? "training" : "service", text);
        con.print("\r" + String.format(Locale.ROOT, "[%5.1f s] %-100s", t, text) + "\n");
    }

    private String statusLine(double t) {
        boolean burst = wiring.serviceMetrics().keySet().stream().anyMatch(svc -> wiring.burstStart(svc)
                .map(b0 -> t >= b0 && t < b0 + schedule.burstS()).orElse(false));
        StringBuilder b = new StringBuilder(burst ? "BURST x" + schedule.burstFactor() : "nominal");
        for (String svc : wiring.serviceMetrics().keySet()) {
            b.append(String.format(Locale.ROOT, " | %s p99 %.0f/%.0f ms", svc, tl.last("p99." + svc), wiring.sloMs(svc)));
        }
        return b.append(String.format(Locale.ROOT, " | train %.0f ms/s | placed %d deferred %d | actions %d",
                tl.last("train.work_ms_per_s"), placed.size(), deferred.size(), actions)).toString();
    }

    /** Each serving service's burst, as sample times {@code [from, to)}. */
    Map<String, double[]> burstSpans() {
        Map<String, double[]> windows = new java.util.LinkedHashMap<>();
        for (String svc : wiring.serviceMetrics().keySet()) {
            double b0 = wiring.burstStart(svc).orElseThrow();
            windows.put(svc, new double[] {b0 + 1, b0 + schedule.burstS() + 1});
        }
        return windows;
    }

    /** The figures so far (call after {@link #drive}). */
    DemoSummary summary() {
        int[] w = DemoSummary.burstWindows(tl, burstSpans());
        int dedicated = wiring.serviceMetrics().size() + placed.size();
        return new DemoSummary(w[0], w[1], placed.size(), placedAsChosen, deferred.size(), actions, dedicated,
                Math.max(gpusUsed.size(), wiring.serviceMetrics().size()));
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
