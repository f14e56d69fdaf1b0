package io.gpucolo.node.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gpucolo bench burst}: the node controller under an inference burst, on the emulated GPU with real
 * stand-in processes. Batch 1 runs (one at a time by default): no control, the paper's inner loop alone, MPS share
 * changes alone, ours, and the inference alone without training (the plant's own tail: whether the SLO is feasible at
 * twice the load at all). Batch 2 runs fixed splits with the same SLO, static duty cycles and static MPS shares, to find
 * the best fixed split that meets it. The last three lines are ours: violation windows %, recovery inner periods,
 * training vs best static %.
 */
@Command(name = "burst", mixinStandardHelpOptions = true,
        description = "Node controller under a 2x inference burst on the emulated GPU: no control, paper inner, MPS alone, ours.")
public final class BurstControlCommand implements Callable<Integer> {
    private static final List<String> SCENARIOS = List.of("none", "paper", "mps", "ours", "alone");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--rate", description = "base request rate, per second (default: ${DEFAULT-VALUE})")
    double rate = 280;

    @Option(names = "--calibrate-s", description = "seconds with training free before the controllers start (default: ${DEFAULT-VALUE})")
    double calibrate = 20;

    @Option(names = "--step-s", description = "second at which the load doubles (default: ${DEFAULT-VALUE})")
    double step = 35;

    @Option(names = "--burst-s", description = "how long the load stays doubled (default: ${DEFAULT-VALUE})")
    double burst = 60;

    @Option(names = "--end-s", description = "length of each batch, seconds (default: ${DEFAULT-VALUE})")
    double end = 125;

    @Option(names = "--static", split = ",", description = "static duty cycles of batch 2 (default: ${DEFAULT-VALUE})")
    List<Double> statics = List.of(0.2, 0.5);

    @Option(names = "--static-share", split = ",", description = "static MPS shares of batch 2, percent: training at that "
            + "share for the whole run, never stopped (default: ${DEFAULT-VALUE})")
    List<Integer> staticShares = List.of(25, 50);

    @Option(names = "--slo-factor", description = "SLO = this factor x the median 1-s window p99 of the calibration, "
            + "with training free at base load (default: ${DEFAULT-VALUE})")
    double sloFactor = 1.5;

    @Option(names = "--slo-ms", description = "fixed p99 SLO, ms, instead of --slo-factor x the calibration's p99 "
            + "(to compare runs on a noisy machine, where a CPU storm during calibration inflates the SLO)")
    Double sloMs;

    @Option(names = "--period-ms", description = "inner control period of every scenario's loop, ms, 100..1000; ours keeps "
            + "the times of its 1-s defaults at any period (default: ${DEFAULT-VALUE}: the step's own window is then "
            + "covered; noded's controller.inner_period_ms)")
    long periodMs = 500;

    @Option(names = "--warmup-s", description = "longest wait for every inference stand-in to report latencies before the "
            + "timeline's 0 s (a real GPU: JVM, CUDA context, kernel calibration) (default: ${DEFAULT-VALUE})")
    double warmupS = 300;

    @Option(names = "--scenarios", split = ",", description = "batch 1's scenarios, of none, paper, mps, ours, alone (the "
            + "inference without any training: the plant's own tail) (default: ${DEFAULT-VALUE}); the last three lines need ours")
    List<String> scenarioNames = List.of("none", "paper", "mps", "ours", "alone");

    @Option(names = "--dir", description = "work directory for logs and traces (default: a new temp dir)")
    Path dir;

    @Option(names = "--parallel", description = "scenarios run at once, each on its own emulated GPU, 1..4 (default: "
            + "${DEFAULT-VALUE}). Every scenario's plant (emulated GPU, inference server, training) is a set of real "
            + "processes whose latency is wall-clock: on a small machine, scenarios run side by side compete for CPUs and "
            + "that contention shows up as GPU latency in all of them, which a real GPU would not see. One at a time takes "
            + "longer (8 runs of --end-s) and measures the controller, not the host.")
    int parallel = 1;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!(rate > 0) || !(sloFactor >= 1) || !(calibrate >= 5) || !(step > calibrate) || !(burst > 0) || !(end > step + burst)
                || (sloMs != null && !(sloMs > 0 && sloMs < 1e6)) || statics.size() > 4 || statics.stream().anyMatch(d -> !(d > 0 && d < 1))
                || staticShares.size() > 4 || staticShares.stream().anyMatch(p -> p < 1 || p > 99) || statics.size() + staticShares.size() == 0
                || parallel < 1 || parallel > 4 || periodMs < 100 || periodMs > 1000 || !(warmupS >= 1)
                || scenarioNames.isEmpty() || !SCENARIOS.containsAll(scenarioNames)) {
            spec.commandLine().getErr().println("gpucolo bench burst: need rate > 0, slo-factor >= 1, slo-ms > 0, calibrate >= 5, "
                    + "calibrate < step, step + burst < end, 0..4 static duties in (0, 1) and 0..4 static shares in 1..99 (not none of "
                    + "both), parallel 1..4, period-ms 100..1000, "
                    + "warmup-s >= 1, scenarios among " + String.join(",", SCENARIOS));
            return 2;
        }
        try {
            return run(out);
        } catch (BurstBench.Refused e) {
            spec.commandLine().getErr().println("gpucolo bench burst: " + e.getMessage());
            return 1;
        }
    }

    private int run(PrintWriter out) throws Exception {
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("gpucolo-burst-");
        out.printf(Locale.ROOT, "burst: base %.0f req/s, doubled at %.0f s for %.0f s; work dir %s%n", rate, step, burst, work);
        out.flush();
        BurstBench.Timeline tl = new BurstBench.Timeline(calibrate, step, burst, end, rate, periodMs / 1000.0, warmupS);
        double[] cal = new double[2];
        cal[0] = sloMs == null ? Double.NaN : sloMs;
        List<Scenario> first = SCENARIOS.stream().filter(scenarioNames::contains).map(n -> switch (n) {
            case "none" -> Scenario.none();
            case "paper" -> Scenario.paperInner();
            case "mps" -> Scenario.mpsOnly();
            case "alone" -> Scenario.alone();
            default -> Scenario.ours();
        }).toList();
        List<BurstBench.Result> main = runAll(work, "batch1", tl, out, cal, first);
        List<Scenario> splits = new java.util.ArrayList<>(statics.stream().map(Scenario::fixed).toList());
        staticShares.forEach(p -> splits.add(Scenario.fixedShare(p)));
        List<BurstBench.Result> fixed = runAll(work, "batch2", tl, out, cal, splits);
        for (BurstBench.Result r : main) {
            print(out, r);
        }
        BurstBench.Result best = null;
        for (BurstBench.Result r : fixed) {
            print(out, r);
            if (r.violationPercent() <= 1 && (best == null || r.iterations() > best.iterations())) {
                best = r;
            }
        }
        BurstBench.Result ours = main.stream().filter(r -> r.scenario().kind() == Scenario.Kind.OURS).findFirst().orElse(null);
        if (ours == null) {
            out.println("ours was not run (--scenarios): no burst figures");
            out.flush();
            return 0;
        }
        out.println(best == null ? "no static split met the SLO (<= 1% violation windows); comparing with the first one"
                : "best static split meeting the SLO: " + best.scenario().name());
        if (best == null) {
            best = fixed.get(0);
        }
        out.printf(Locale.ROOT, "burst violation windows %%: %.1f%n", ours.violationPercent());
        out.printf(Locale.ROOT, "burst recovery inner periods: %d%n", ours.recoveryPeriods());
        out.printf(Locale.ROOT, "burst training vs best static %%: %.0f%n",
                best.iterations() == 0 ? 0 : 100.0 * ours.iterations() / best.iterations());
        out.flush();
        return 0;
    }

    /**
     * Runs the scenarios {@link #parallel} at a time, in order. The first run calibrates the SLO (unless it is fixed in
     * {@code cal[0]}); every later run uses that SLO and mean/p99 ratio, so all scenarios are judged alike.
     */
    private List<BurstBench.Result> runAll(Path work, String name, BurstBench.Timeline tl, PrintWriter out, double[] cal,
                                           List<Scenario> scenarios) throws java.io.IOException, InterruptedException {
        List<BurstBench.Result> results = new java.util.ArrayList<>();
        for (int i = 0; i < scenarios.size(); i += parallel) {
            List<Scenario> chunk = scenarios.subList(i, Math.min(scenarios.size(), i + parallel));
            String sub = parallel >= scenarios.size() ? name : name + "-" + (i / parallel + 1);
            results.addAll(new BurstBench(work.resolve(sub), tl, out).run(chunk, cal[0], cal[1], cal, sloFactor));
        }
        return results;
    }

    private static void print(PrintWriter out, BurstBench.Result r) {
        out.printf(Locale.ROOT, "%-44s violation windows %5.1f %%  recovery %2d periods  training %5d iterations  share changes %d%n",
                r.scenario().name(), r.violationPercent(), r.recoveryPeriods(), r.iterations(), r.shareChanges());
    }
}
