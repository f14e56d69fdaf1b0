package io.gpucolo.sim.report;

import io.gpucolo.sim.metrics.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The numbers of a comparison: the CSV summary, the terminal table, the decomposition of each policy's saving
 * into packing and control, and the paper's published figures beside ours.
 */
public final class Summary {
    public static final String CSV_HEADER = "policy,avg_gpus,peak_gpus,saved_vs_dedicated_pct,utilization_pct,"
            + "job_tail_violation_pct,window_tail_violation_pct,job_mean_violation_pct,window_mean_violation_pct,"
            + "mean_slowdown,p95_slowdown,p99_slowdown,mean_queue_s,max_queue_s,training_pieces,inference_pieces,"
            + "events,control_steps,model_calls,wall_s";

    /** The paper's numbers (GPUColo, ICDCS 2024, PAI 2020 simulation). */
    public static final double PAPER_GPUCOLO = 766;
    public static final double PAPER_DEDICATED = 3059;
    public static final double PAPER_SEPARATE = 3625;
    public static final double PAPER_GSLICE = 1538;
    public static final double PAPER_SAVED_VS_DEDICATED = 74.9;
    public static final double PAPER_SAVED_VS_GSLICE = 50.2;
    public static final double PAPER_VIOLATION_GPUCOLO = 1.1;
    public static final double PAPER_VIOLATION_GSLICE = 27.2;

    private final List<RunResult> runs;

    public Summary(List<RunResult> runs) {
        this.runs = List.copyOf(runs);
    }

    public List<RunResult> runs() {
        return runs;
    }

    public Optional<RunResult> run(String policy) {
        return runs.stream().filter(r -> r.policy().equals(policy)).findFirst();
    }

    private double saved(RunResult r) {
        return run("dedicated").map(d -> d.avgGpus() == 0 ? 0 : 100 * (d.avgGpus() - r.avgGpus()) / d.avgGpus())
                .orElse(Double.NaN);
    }

    public String csv() {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (RunResult r : runs) {
            sb.append(String.format(Locale.ROOT, "%s,%.2f,%d,%.2f,%.2f,%.3f,%.3f,%.3f,%.3f,%.4f,%.4f,%.4f,%.1f,%.1f,%d,%d,%d,%d,%d,%.2f%n",
                    r.policy(), r.avgGpus(), r.peakGpus(), saved(r), 100 * r.utilization(), 100 * r.jobTailViolation(),
                    100 * r.windowTailViolation(), 100 * r.jobMeanViolation(), 100 * r.windowMeanViolation(),
                    r.meanSlowdown(), r.p95Slowdown(), r.p99Slowdown(), r.meanQueueS(), r.maxQueueS(), r.trainingJobs(),
                    r.inferenceTasks(), r.events(), r.controlSteps(), r.modelCalls(), r.wallSeconds()));
        }
        return sb.toString();
    }

    /** The terminal table. */
    public List<String> table() {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "%-14s %9s %6s %7s %6s %9s %9s %9s %8s %8s %9s %7s",
                "policy", "avg GPUs", "peak", "saved%", "util%", "jobTail%", "winTail%", "jobMean%", "slowdn",
                "p99 sd", "queue s", "wall s"));
        for (RunResult r : runs) {
            out.add(String.format(Locale.ROOT, "%-14s %9.1f %6d %7.1f %6.1f %9.2f %9.2f %9.2f %8.3f %8.2f %9.1f %7.2f",
                    r.policy(), r.avgGpus(), r.peakGpus(), saved(r), 100 * r.utilization(), 100 * r.jobTailViolation(),
                    100 * r.windowTailViolation(), 100 * r.jobMeanViolation(), r.meanSlowdown(), r.p99Slowdown(),
                    r.meanQueueS(), r.wallSeconds()));
        }
        return out;
    }

    /**
     * Each co-locating policy's GPU saving against {@code dedicated}, split into what fractional packing alone gives
     * ({@code dedicated - first-fit}) and what keeping the SLO adds on top ({@code first-fit - policy}: control, and
     * for ours SLO-aware placement; negative when throttled training or refused packings hold more GPUs), with
     * the tail violations that buys back against uncontrolled packing.
     */
    public List<String> decomposition() {
        List<String> out = new ArrayList<>();
        Optional<RunResult> ded = run("dedicated");
        Optional<RunResult> ff = run("first-fit");
        if (ded.isEmpty() || ff.isEmpty()) {
            out.add("(decomposition needs the dedicated and first-fit runs)");
            return out;
        }
        double d = ded.get().avgGpus();
        double f = ff.get().avgGpus();
        out.add(String.format(Locale.ROOT, "%-14s %12s %12s %15s %16s", "policy", "saved GPUs", "by packing",
                "by SLO-keeping", "jobTail% vs FF"));
        for (RunResult r : runs) {
            if (r.policy().equals("dedicated")) {
                continue;
            }
            boolean colocating = r.policy().equals("first-fit") || r.policy().equals("gpucolo-paper")
                    || r.policy().equals("headroom");
            double packing = colocating ? d - f : d - r.avgGpus();
            double control = colocating ? f - r.avgGpus() : 0;
            out.add(String.format(Locale.ROOT, "%-14s %12.1f %12.1f %15.1f %16s", r.policy(), d - r.avgGpus(), packing,
                    control, colocating ? String.format(Locale.ROOT, "%+.2f", 100 * (r.jobTailViolation()
                            - ff.get().jobTailViolation())) : "n/a"));
        }
        return out;
    }

    /** Our numbers beside the paper's. */
    public List<String> paperComparison() {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "%-40s %12s %12s", "figure", "paper", "ours"));
        row(out, "daily-average GPUs, GPUColo (gpucolo-paper)", PAPER_GPUCOLO, run("gpucolo-paper").map(RunResult::avgGpus));
        row(out, "daily-average GPUs, ours (headroom)", Double.NaN, run("headroom").map(RunResult::avgGpus));
        row(out, "daily-average GPUs, no co-location", PAPER_DEDICATED, run("dedicated").map(RunResult::avgGpus));
        row(out, "daily-average GPUs, separate pools 5:1", PAPER_SEPARATE, run("separate-5to1").map(RunResult::avgGpus));
        row(out, "daily-average GPUs, GSLICE", PAPER_GSLICE, run("gslice").map(RunResult::avgGpus));
        Optional<Double> savedDed = run("gpucolo-paper").flatMap(p -> run("dedicated")
                .map(d -> 100 * (d.avgGpus() - p.avgGpus()) / d.avgGpus()));
        Optional<Double> savedGs = run("gpucolo-paper").flatMap(p -> run("gslice")
                .map(g -> 100 * (g.avgGpus() - p.avgGpus()) / g.avgGpus()));
        row(out, "% GPUs saved vs no co-location", PAPER_SAVED_VS_DEDICATED, savedDed);
        row(out, "% GPUs saved vs GSLICE", PAPER_SAVED_VS_GSLICE, savedGs);
        row(out, "% SLO violations, GPUColo (mean, per job)", PAPER_VIOLATION_GPUCOLO,
                run("gpucolo-paper").map(r -> 100 * r.jobMeanViolation()));
        row(out, "% SLO violations, GSLICE (mean, per job)", PAPER_VIOLATION_GSLICE,
                run("gslice").map(r -> 100 * r.jobMeanViolation()));
        row(out, "% SLO violations, ours (p99, per job)", Double.NaN, run("headroom").map(r -> 100 * r.jobTailViolation()));
        return out;
    }

    private static void row(List<String> out, String what, double paper, Optional<Double> ours) {
        out.add(String.format(Locale.ROOT, "%-40s %12s %12s", what, Double.isNaN(paper) ? "-" : fmt(paper),
                ours.map(Summary::fmt).orElse("(not run)")));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
