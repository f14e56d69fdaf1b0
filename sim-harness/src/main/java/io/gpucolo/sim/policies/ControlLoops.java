package io.gpucolo.sim.policies;

import io.gpucolo.node.law.AdaptiveDutyLaw;
import io.gpucolo.node.law.InnerLaw;
import io.gpucolo.node.law.LatencySample;
import io.gpucolo.node.law.OuterLaw;
import io.gpucolo.node.law.PaperInnerLaw;
import io.gpucolo.node.law.PaperOuterLaw;
import io.gpucolo.node.law.SaturationShareLaw;
import io.gpucolo.node.law.ServiceLatency;
import io.gpucolo.sim.engine.EventQueue;
import java.time.Duration;
import java.time.Instant;

/**
 * Runs the node controller's laws ({@code io.gpucolo.node.law}, the production classes) in virtual time, one
 * inner/outer pair per co-located GPU. A GPU's loop wakes when its membership or load changes, steps every
 * inner period (the paper: 4 s; ours: 1 s) with the plant's latency as the sensor, applies the duty cycle and
 * MPS share to the training tier (an MPS change costs every training task there {@link #RESTART_MS} of work,
 * the paper's typical restart), and goes quiet once the inner output has not moved (by {@link #DUTY_STEP} or more) for {@link #QUIET_STEPS}
 * steps and the outer law would not act on what it sees (saturated with share at its floor, or no latency
 * error beyond its dead-band): further steps would return the same outputs, so they are skipped until the
 * next change. Quiet periods are the only approximation; they keep a 57-day replay fast.
 *
 * <p>The paper's fixed gains are "identified offline" per GPU when its loop starts, from the plant: the slope
 * of mean latency against sleep (0 to 1 s) and against training share (1 to 100%).
 */
public final class ControlLoops implements Controller {
    static final long RESTART_MS = 7_000;
    static final int QUIET_STEPS = 2;
    /** Duty changes below half the plant's duty quantum (0.01) do not change latency; they count as no move. */
    static final double DUTY_STEP = 0.005;
    private static final String[] NAMES = new String[64];

    static {
        for (int i = 0; i < NAMES.length; i++) {
            NAMES[i] = "s" + i;
        }
    }
    static final double ITERATION_S = 0.5;
    static final double MAX_SLEEP_S = 1.0;

    private final Datacenter dc;
    private final boolean paper;
    private final long periodMs;
    private final long outerPeriodMs;
    /** Samples replayed after a skip: at least the outer law's persistence run (ours: 10). */
    static final int REPLAY = 12;
    private int[] replay = new int[1024];
    private InnerLaw[] inner = new InnerLaw[1024];
    private OuterLaw[] outer = new OuterLaw[1024];
    private double[] refMs = new double[1024];
    private double[] slope = new double[1024];
    private int[] quiet = new int[1024];
    private boolean[] scheduled = new boolean[1024];
    private long[] outerSince = new long[1024];
    private long steps;

    public ControlLoops(Datacenter dc, boolean paper) {
        this.dc = dc;
        this.paper = paper;
        this.periodMs = paper ? 4_000 : 1_000;
        this.outerPeriodMs = paper ? 100_000 : 25_000;
        java.util.Arrays.fill(replay, 1);
    }

    @Override
    public long steps() {
        return steps;
    }

    private void ensure(int g) {
        if (g >= inner.length) {
            int n = Math.max(g + 1, inner.length * 2);
            inner = java.util.Arrays.copyOf(inner, n);
            outer = java.util.Arrays.copyOf(outer, n);
            refMs = java.util.Arrays.copyOf(refMs, n);
            slope = java.util.Arrays.copyOf(slope, n);
            quiet = java.util.Arrays.copyOf(quiet, n);
            scheduled = java.util.Arrays.copyOf(scheduled, n);
            outerSince = java.util.Arrays.copyOf(outerSince, n);
            int old = replay.length;
            replay = java.util.Arrays.copyOf(replay, n);
            java.util.Arrays.fill(replay, old, n, 1);
        }
    }

    @Override
    public void changed(int g, long nowMs, boolean membership) {
        ensure(g);
        if (dc.nInf[g] == 0 || dc.nTrain[g] == 0) {
            if (inner[g] != null) {
                inner[g] = null;
                outer[g] = null;
                if (dc.nTrain[g] > 0) {
                    dc.setTier(g, dc.trainPct[g], 1.0, nowMs, 0);
                }
            }
            return;
        }
        if (inner[g] == null || membership) {
            start(g, nowMs);
        }
        quiet[g] = 0;
        replay[g] = 1;
        if (!scheduled[g]) {
            scheduled[g] = true;
            dc.queue.push(nowMs + periodMs, EventQueue.Kind.CONTROL, g);
        }
    }

    private void start(int g, long nowMs) {
        outerSince[g] = nowMs;
        int pct = Math.max(1, Math.min(100, dc.trainPct[g]));
        if (paper) {
            double ref = 0;
            int n = 0;
            for (int i = dc.head[g]; i >= 0; i = dc.next[i]) {
                if (dc.t.isInference(i)) {
                    ref += dc.slo.sloMean[i];
                    n++;
                }
            }
            ref /= n;
            double sleepNow = ITERATION_S / dc.duty[g] - ITERATION_S;
            double m = (meanAt(g, pct, duty(MAX_SLEEP_S)) - meanAt(g, pct, 1.0)) / MAX_SLEEP_S;
            double a = (meanAt(g, 100, 1.0) - meanAt(g, 1, 1.0)) / 99;
            inner[g] = new PaperInnerLaw(new PaperInnerLaw.Config(ref, Math.min(-1e-3, m), ITERATION_S, MAX_SLEEP_S,
                    Math.max(0, Math.min(MAX_SLEEP_S, sleepNow))));
            outer[g] = new PaperOuterLaw(new PaperOuterLaw.Config(ref, clampSlope(a), Duration.ofSeconds(100), 2, pct));
            refMs[g] = ref;
            slope[g] = clampSlope(a);
        } else {
            if (inner[g] == null) {
                // the simulator's tail is computed, not measured: the noise-free tuning of the same law
                AdaptiveDutyLaw.Config d = AdaptiveDutyLaw.Config.noiseFree();
                inner[g] = new AdaptiveDutyLaw(d.withInitialDuty(Math.max(d.floor(), dc.duty[g])));
            }
            SaturationShareLaw.Config c = SaturationShareLaw.Config.defaults(100);
            int max = Math.max(pct, Math.min(100, dc.trainReq[g]));
            int min = Math.min(c.minShare(), pct);
            outer[g] = new SaturationShareLaw(new SaturationShareLaw.Config(c.innerPeriod(), c.period(), c.persist(),
                    c.kp(), c.deadband(), c.slackTarget(), c.roomSlack(), c.dutyFloor(), min, max, pct));
        }
    }

    /** The outer law accepts 0 < a <= 100 ms per point; a saturated plant is steeper than that. */
    private static double clampSlope(double a) {
        return Math.max(1e-3, Math.min(100, a));
    }

    private static double duty(double sleepS) {
        return ITERATION_S / (ITERATION_S + sleepS);
    }

    /** Mean latency over the GPU's inference tasks with this training tier (for the paper's offline fit). */
    private double meanAt(int g, int pct, double d) {
        double s = 0;
        int n = 0;
        for (int i = dc.head[g]; i >= 0; i = dc.next[i]) {
            if (dc.t.isInference(i)) {
                s += dc.plant.meanMs(dc.plant.colocated(dc.service[i], dc.rate[i], dc.nInf[g] - 1, pct, d));
                n++;
            }
        }
        return s / n;
    }

    @Override
    public void step(int g, long nowMs) {
        scheduled[g] = false;
        if (inner[g] == null || dc.nInf[g] == 0 || dc.nTrain[g] == 0) {
            return;
        }
        steps++;
        double before = dc.duty[g];
        int pctBefore = dc.trainPct[g];
        LatencySample sample = null;
        double d = before;
        int pct = pctBefore;
        // after a skip (see below) the identical samples of the skipped periods are fed now, the last `replay` of them
        for (int k = replay[g] - 1; k >= 0; k--) {
            sample = sample(g, nowMs - k * periodMs);
            d = inner[g].update(sample);
            pct = outer[g].update(sample, d);
        }
        replay[g] = 1;
        if (pct != pctBefore) {
            outerSince[g] = nowMs;
        }
        boolean moved = Math.abs(d - before) >= DUTY_STEP || pct != pctBefore;

        dc.setTier(g, pct, d, nowMs, pct != pctBefore ? RESTART_MS : 0);
        quiet[g] = moved ? 0 : quiet[g] + 1;
        if (quiet[g] >= QUIET_STEPS && outerIdle(g, sample, d, pct)) {
            return;
        }
        long at = nowMs + periodMs;
        if (quiet[g] >= QUIET_STEPS) {
            // the inner law holds and only the outer law's timer is pending: every sample until then is identical,
            // so skip to the outer decision and feed it the samples it counts there (a run of REPLAY periods)
            long due = outerSince[g] + outerPeriodMs;
            if (due > at) {
                long skipped = (due - nowMs) / periodMs;
                at = nowMs + skipped * periodMs;
                replay[g] = (int) Math.min(REPLAY, skipped);
            }
        }
        scheduled[g] = true;
        dc.queue.push(at, EventQueue.Kind.CONTROL, g);
    }

    private boolean outerIdle(int g, LatencySample s, double d, int pct) {
        if (paper) {
            double delta = (refMs[g] - s.meanLatencyMs()) / slope[g];
            return Math.abs(delta) <= 2 || (delta < 0 && pct <= 1) || (delta > 0 && pct >= 100);
        }
        // mirrors SaturationShareLaw: it moves only when saturated (or with room) and kp * (slack - target)
        // reaches the dead-band in the allowed direction
        SaturationShareLaw.Config c = SaturationShareLaw.Config.defaults(100);
        double slack = s.tightestSlack();
        double delta = c.kp() * (slack - c.slackTarget());
        boolean saturated = d <= inner[g].floor() + 1e-9;
        boolean room = d >= 1 - 1e-9 && slack >= c.roomSlack();
        if (saturated) {
            return -delta < c.deadband() || pct <= Math.min(c.minShare(), pct);
        }
        if (room) {
            return delta < c.deadband() || pct >= Math.max(pct, Math.min(100, dc.trainReq[g]));
        }
        return true;
    }

    private LatencySample sample(int g, long nowMs) {
        ServiceLatency[] v = new ServiceLatency[dc.nInf[g]];
        int k = 0;
        for (int i = dc.head[g]; i >= 0; i = dc.next[i]) {
            if (dc.t.isInference(i)) {
                long count = Math.max(1, Math.round(dc.plant.capacity(dc.service[i]) * dc.rate[i] / 200.0 * periodMs / 1000));
                v[k] = new ServiceLatency(NAMES[Math.min(k, NAMES.length - 1)], dc.slo.sloP99[i], dc.slo.p99[i], dc.slo.mean[i], count);
                k++;
            }
        }
        return LatencySample.of(Instant.ofEpochMilli(nowMs), v);
    }
}
