package io.gpucolo.node.law;

/**
 * Our inner tier: integral control of the training duty cycle on the tail latency of every service on the GPU, with
 * the plant gain identified online, asymmetric action (cut at once, give back slowly) and a feed-forward cut on a load
 * surge.
 * <pre>
 *   r(k)    = max_i p99_i(k) / SLO_i  = 1 − tightest slack                  (controlled variable)
 *   r_ref   = 1 − slackTarget                                               (set point: keep that much slack)
 *   b̂(k)    = clamp(RLS gain of Δr = b·Δd, gainMin, gainMax)               (see {@link RecursiveGainEstimator})
 *   e(k)    = (r_ref − r(k)) / b̂(k)                                         (integral step, deadbeat on the model)
 *   surge:    ∃i  n_i(k) ≥ λ̄_i·T·(1 + surgeRatio)  and  n_i(k) − λ̄_i·T ≥ surgeZ·√(λ̄_i·T)
 *   d(k+1)  = floor                                         on a surge        (feed-forward, before the tail moves)
 *           = max(floor, d(k) + e(k))                       if e(k) &lt; 0      (cut at once: deadbeat)
 *           = min(1, d(k) + min(e(k), raiseStep))           if e(k) ≥ 0 and the last w periods all had room
 *           = d(k)                                          otherwise
 *   held    = from a surge to the next raise ({@link #loadHeld()}: the outer tier does not count it as saturation)
 *   w       = raiseAfter; doubled (up to maxWait) by a cut that follows a raise (a failed probe); set to maxWait
 *             by a surge (training hurt at the new load until the load says otherwise); back to
 *             raiseAfter once the duty reaches 1 or the load drops (the mirror of a surge)
 *   λ̄_i    ← λ̄_i + α·(n_i(k)/T − λ̄_i)                        (α = 0.25; rate of service i, T the window length)
 * </pre>
 * <b>Why asymmetric.</b> The window p99 at a few hundred requests per second is its few largest samples, so it is
 * noisy. A symmetric integral law on such a signal walks the duty up into the SLO half the time; here noise can only
 * cost training (a spurious cut is given back after {@code raiseAfter} quiet periods), never a violation, and the
 * set point keeps {@code slackTarget} of the SLO as a noise margin. Giving duty back is a probe; when the probe
 * fails (the tail crossed the set point and forced a cut), the next one waits twice as long, as TCP backs off, so a
 * load at which any training hurts the tail (a burst near the GPU's capacity) sees few probes.
 * <b>Why feed-forward.</b> The request rate of each service is the count of its window over the window's length; a
 * jump of the rate (a burst onset) is seen in the first window that contains it, while the tail needs the queue to
 * build first. A surge is a rate both {@code surgeRatio} above the service's recent rate and {@code surgeZ} Poisson
 * standard deviations above it (so a few hundred requests per window do not trigger on noise); it sends the duty to
 * the floor at once and restarts the quiet count, so the duty is given back only once the tail shows room at the new
 * load. A surge is only detected from the second sample on (it needs a window length and a recent rate).
 * <p>Anti-windup: the integrator state is the applied duty itself (velocity form), clamped to [floor, 1], so nothing
 * accumulates while saturated, and the estimator only learns from periods where the duty really moved (|Δd| ≥ 0.02);
 * a surge step is not learned from (the load moved, not only the duty). A sample with no data holds the duty.
 * Stable on the cut side while the true gain is in (0, 2·b̂); the raise is rate-limited to {@code raiseStep} per
 * period. Operating range: p99/SLO in about [0.3, 3]; duty in [floor, 1]; gains in (0, 10]; windows of 0.1–10 s.
 * Not thread-safe; one per controlled GPU.
 */
public final class AdaptiveDutyLaw implements InnerLaw {
    /**
     * Tuning.
     *
     * @param slackTarget relative slack kept below the SLO, in [0, 0.9] (0.25 = aim p99 at 75% of the SLO)
     * @param floor       lowest duty cycle, in [0, 1)
     * @param initialDuty duty before the first sample, in [floor, 1]
     * @param initialGain first guess of b (ratio change per unit duty), within the bounds
     * @param gainMin     lower bound of b̂ (&gt; 0): bounds the largest step to 1/gainMin per unit error
     * @param gainMax     upper bound of b̂: bounds the smallest step
     * @param forgetting  RLS forgetting factor λ in (0, 1]
     * @param raiseStep   largest duty increase per period, in (0, 1]
     * @param raiseAfter  periods in a row with room (r ≤ r_ref) before the duty may rise, ≥ 1
     * @param maxWait     longest wait between probes after failed ones, periods (≥ raiseAfter; = raiseAfter: no backoff)
     * @param surgeRatio  relative rate jump that counts as a surge, &gt; 0 (0.2 = 20% above the recent rate)
     * @param surgeZ      Poisson standard deviations the jump must also exceed, ≥ 0
     */
    public record Config(double slackTarget, double floor, double initialDuty, double initialGain, double gainMin,
                         double gainMax, double forgetting, double raiseStep, int raiseAfter, int maxWait,
                         double surgeRatio, double surgeZ) {
        public Config {
            if (!(slackTarget >= 0 && slackTarget <= 0.9)) {
                throw new IllegalArgumentException("slack target must be in [0, 0.9], got " + slackTarget);
            }
            if (!(floor >= 0 && floor < 1)) {
                throw new IllegalArgumentException("duty floor must be in [0, 1), got " + floor);
            }
            if (!(initialDuty >= floor && initialDuty <= 1)) {
                throw new IllegalArgumentException("initial duty must be in [floor, 1], got " + initialDuty);
            }
            if (!(gainMin > 0 && gainMin <= gainMax && gainMax <= 10)) {
                throw new IllegalArgumentException("need 0 < gainMin <= gainMax <= 10, got " + gainMin + ".." + gainMax);
            }
            if (!(initialGain >= gainMin && initialGain <= gainMax)) {
                throw new IllegalArgumentException("initial gain " + initialGain + " outside [" + gainMin + ", " + gainMax + "]");
            }
            if (!(forgetting > 0 && forgetting <= 1)) {
                throw new IllegalArgumentException("forgetting factor must be in (0, 1], got " + forgetting);
            }
            if (!(raiseStep > 0 && raiseStep <= 1) || raiseAfter < 1 || maxWait < raiseAfter) {
                throw new IllegalArgumentException("need 0 < raiseStep <= 1 and 1 <= raiseAfter <= maxWait, got " + raiseStep
                        + ", " + raiseAfter + ", " + maxWait);
            }
            if (!(surgeRatio > 0) || !(surgeZ >= 0) || Double.isInfinite(surgeRatio) || Double.isInfinite(surgeZ)) {
                throw new IllegalArgumentException("need a finite surgeRatio > 0 and surgeZ >= 0, got " + surgeRatio + ", " + surgeZ);
            }
        }

        /** The same tuning with another floor (the initial duty raised to it if needed). */
        public Config withFloor(double newFloor) {
            return new Config(slackTarget, newFloor, Math.max(newFloor, initialDuty), initialGain, gainMin, gainMax,
                    forgetting, raiseStep, raiseAfter, maxWait, surgeRatio, surgeZ);
        }

        /** The same tuning starting from another duty. */
        public Config withInitialDuty(double duty) {
            return new Config(slackTarget, floor, duty, initialGain, gainMin, gainMax, forgetting, raiseStep, raiseAfter,
                    maxWait, surgeRatio, surgeZ);
        }

        /**
         * Defaults, for a measured tail: 25% slack, floor 0.05, start at full duty, b0 = 1 within [0.25, 4], λ = 0.95;
         * give back at most 0.1 per period after 3 quiet periods, the wait doubling up to 60 after failed probes (and
         * 60 after a surge, unless the load drops first); a
         * surge is +20% and 4 σ over the recent rate.
         */
        public static Config defaults() {
            return new Config(0.25, 0.05, 1.0, 1.0, 0.25, 4.0, 0.95, 0.1, 3, 60, 0.2, 4);
        }

        /**
         * For a noise-free tail (the simulator's, computed from a latency model rather than measured): the symmetric
         * deadbeat law, 10% slack, the duty given back in full at once (raiseStep 1, raiseAfter 1, no backoff) and
         * no surge rule (the ratio can never be reached). Nothing to protect against noise, so no margin for it.
         */
        public static Config noiseFree() {
            return new Config(0.10, 0.05, 1.0, 1.0, 0.25, 4.0, 0.95, 1.0, 1, 1, Double.MAX_VALUE, 0);
        }
    }

    private static final double MIN_EXCITATION = 0.02;
    private final Config config;
    private final RecursiveGainEstimator estimator;
    private final LoadWatch load = new LoadWatch(0.25);
    private double duty;
    private double lastRatio = Double.NaN;
    private double lastStep;
    private int quiet;
    private int wait;
    private boolean probing;
    private boolean held;

    public AdaptiveDutyLaw(Config config) {
        this.config = config;
        this.estimator = new RecursiveGainEstimator(config.initialGain(), 1.0, config.forgetting(), 100.0, MIN_EXCITATION);
        this.duty = config.initialDuty();
        this.wait = config.raiseAfter();
    }

    @Override
    public double update(LatencySample sample) {
        LoadWatch.Change change = load.observe(sample, config.surgeRatio(), config.surgeZ());
        boolean surge = change == LoadWatch.Change.SURGE;
        if (change == LoadWatch.Change.DROP) {
            wait = config.raiseAfter();      // the load fell: earlier failed probes say nothing of the new load
        }
        double slack = sample.tightestSlack();
        if (Double.isNaN(slack)) {
            return duty;
        }
        double ratio = 1 - slack;
        if (!Double.isNaN(lastRatio)) {
            estimator.observe(lastStep, ratio - lastRatio);
        }
        double error = ((1 - config.slackTarget()) - ratio) / gain();
        quiet = error >= 0 && !surge ? quiet + 1 : 0;
        double next;
        if (surge) {
            next = config.floor();
            // a burst onset: the load just rose past what training was tuned for, so no probe until the load drops
            // (DROP above) or maxWait periods pass: a probe into a burst near capacity only buys a violation
            wait = config.maxWait();
            probing = false;
            held = true;
        } else if (error < 0) {
            next = Math.max(config.floor(), duty + error);
            if (probing) {
                wait = Math.min(config.maxWait(), 2 * wait);   // the probe failed: probe less often
            }
            probing = false;
        } else if (quiet >= wait) {
            next = duty + Math.min(error, config.raiseStep());
            next = next >= 1 - 1e-9 ? 1 : next;    // ten steps of 0.1 reach 1 exactly
            probing = next < 1;
            held = false;
            wait = next < 1 ? wait : config.raiseAfter();
        } else {
            next = duty;
        }
        lastStep = surge ? 0 : next - duty;
        lastRatio = ratio;
        duty = next;
        return duty;
    }

    /** The gain in use: the RLS estimate clamped to the bounds. */
    public double gain() {
        return clamp(estimator.gain(), config.gainMin(), config.gainMax());
    }

    /** True from a surge until the next raise: the duty is held at the floor for the load, no probe has failed yet. */
    @Override
    public boolean loadHeld() {
        return held;
    }

    /** Whether the last sample was a load surge (the feed-forward cut). */
    public boolean surged() {
        return load.surged();
    }

    @Override
    public double duty() {
        return duty;
    }

    @Override
    public double floor() {
        return config.floor();
    }

    static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
