package io.gpucolo.node.bench;

import io.gpucolo.node.law.FixedDutyLaw;
import io.gpucolo.node.law.FixedShareLaw;
import io.gpucolo.node.law.PaperInnerLaw;
import io.gpucolo.node.law.PaperOuterLaw;
import io.gpucolo.node.law.WindowedInnerLaw;
import io.gpucolo.node.noded.GpuController;
import io.gpucolo.node.noded.Laws;
import java.time.Duration;
import java.time.Instant;

/**
 * One controller configuration compared by the burst benchmark; {@code share} is the training's MPS share at its start
 * (fixed for the run unless the scenario changes shares).
 */
record Scenario(String name, boolean controlled, double staticDuty, int share, Kind kind) {
    enum Kind { NONE, PAPER_INNER, MPS_ONLY, OURS, STATIC, STATIC_SHARE, ALONE }

    /** Whether a training stand-in runs next to the inference (all but {@link Kind#ALONE}). */
    boolean trains() {
        return kind != Kind.ALONE;
    }

    /** Whether the scenario changes the MPS share (so training runs under the restarting launcher). */
    boolean restarts() {
        return kind == Kind.MPS_ONLY || kind == Kind.OURS;
    }

    static Scenario none() {
        return new Scenario("no control", false, 1, 100, Kind.NONE);
    }

    static Scenario paperInner() {
        return new Scenario("paper inner loop (4 s, fixed gain, mean)", true, 1, 100, Kind.PAPER_INNER);
    }

    static Scenario mpsOnly() {
        return new Scenario("MPS share changes alone (25 s)", true, 1, 100, Kind.MPS_ONLY);
    }

    static Scenario ours() {
        return new Scenario("ours (p99 RLS inner + feed-forward + outer)", true, 1, 100, Kind.OURS);
    }

    /** The inference alone, no training at all: the plant's own tail (is the SLO feasible at twice the load?). */
    static Scenario alone() {
        return new Scenario("inference alone (no training)", false, 1, 100, Kind.ALONE);
    }

    static Scenario fixed(double duty) {
        return new Scenario(String.format(java.util.Locale.ROOT, "static duty %.2f", duty), true, duty, 100, Kind.STATIC);
    }

    /** A fixed GPU split: training at MPS share {@code share} % for the whole run, never stopped. */
    static Scenario fixedShare(int share) {
        return new Scenario("static MPS share " + share + " %", false, 1, share, Kind.STATIC_SHARE);
    }

    /**
     * The laws. The paper's laws control mean latency: their set point is the SLO carried over to the mean with the
     * mean/p99 ratio measured in calibration, and their fixed gains stand in for the paper's offline fit: one second
     * of sleep halves the mean latency (m = −L_ref/2 per s), and going from 0 to 100% share doubles it
     * (a = L_ref/100 per point).
     */
    GpuController.LawFactory laws(Duration period, double meanOverP99, Instant start) {
        return (share, slo) -> {
            double ref = slo * meanOverP99;
            return switch (kind) {
                case NONE, ALONE, STATIC_SHARE -> new Laws.Pair(new FixedDutyLaw(1), new FixedShareLaw(share));
                case STATIC -> new Laws.Pair(new FixedDutyLaw(staticDuty), new FixedShareLaw(share));
                case PAPER_INNER -> new Laws.Pair(new WindowedInnerLaw(new PaperInnerLaw(
                        new PaperInnerLaw.Config(ref, -ref / 2, 0.2, 1.0, 0)), Duration.ofSeconds(4), start),
                        new FixedShareLaw(share));
                case MPS_ONLY -> new Laws.Pair(new FixedDutyLaw(1), new PaperOuterLaw(
                        new PaperOuterLaw.Config(ref, ref / 100, Duration.ofSeconds(25), 2, share)));
                case OURS -> Laws.OURS.create(period, share, slo, start);     // the laws' defaults at this period
            };
        };
    }
}
