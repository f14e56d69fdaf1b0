package io.gpucolo.node.law;

/**
 * Our inner tier: integral control of the training duty cycle on the tail latency of every service on the GPU, with
 * the plant gain identified online.
 * <pre>
 *   r(k)   = max_i p99_i(k) / SLO_i  = 1 − tightest slack          (controlled variable)
 *   r_ref  = 1 − slackTarget                                         (set point: keep that much slack)
 *   b̂(k)   = clamp(RLS gain of Δr = b·Δd, gainMin, gainMax)         (see {@link RecursiveGainEstimator})
 *   d(k+1) = clamp(d(k) + (r_ref − r(k)) / b̂(k), floor, 1)
 * </pre>
 * On the nominal model this is deadbeat (one period to the set point); it stays stable while the true gain is in
 * (0, 2·b̂), which the bounds keep from being too optimistic. Anti-windup: the integrator state is the applied duty
 * itself (velocity form), clamped to [floor, 1], so nothing accumulates while saturated, and the estimator only
 * learns from periods where the duty really moved. A sample with no data holds the duty.
 * Operating range: p99/SLO in about [0.3, 3]; duty in [floor, 1] with floor in [0, 1); gains in (0, 10].
 * Not thread-safe; one per controlled GPU.
 */
public final class AdaptiveDutyLaw implements InnerLaw {
    /**
     * Tuning.
     *
     * @param slackTarget    relative slack kept below the SLO, in [0, 0.9] (0.1 = aim p99 at 90% of the SLO)
     * @param floor          lowest duty cycle, in [0, 1)
     * @param initialDuty    duty before the first sample, in [floor, 1]
     * @param initialGain    first guess of b (ratio change per unit duty), within the bounds
     * @param gainMin        lower bound of b̂ (&gt; 0): bounds the largest step to 1/gainMin per unit error
     * @param gainMax        upper bound of b̂: bounds the smallest step
     * @param forgetting     RLS forgetting factor λ in (0, 1]
     */
    public record Config(double slackTarget, double floor, double initialDuty, double initialGain, double gainMin,
                         double gainMax, double forgetting) {
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
        }

        /** Defaults: 10% slack, floor 0.05, start at full duty, b0 = 1 within [0.25, 4], λ = 0.95. */
        public static Config defaults() {
            return new Config(0.10, 0.05, 1.0, 1.0, 0.25, 4.0, 0.95);
        }
    }

    private static final double MIN_EXCITATION = 0.02;
    private final Config config;
    private final RecursiveGainEstimator estimator;
    private double duty;
    private double lastRatio = Double.NaN;
    private double lastStep;

    public AdaptiveDutyLaw(Config config) {
        this.config = config;
        this.estimator = new RecursiveGainEstimator(config.initialGain(), 1.0, config.forgetting(), 100.0, MIN_EXCITATION);
        this.duty = config.initialDuty();
    }

    @Override
    public double update(LatencySample sample) {
        double slack = sample.tightestSlack();
        if (Double.isNaN(slack)) {
            return duty;
        }
        double ratio = 1 - slack;
        if (!Double.isNaN(lastRatio)) {
            estimator.observe(lastStep, ratio - lastRatio);
        }
        double b = gain();
        double next = clamp(duty + ((1 - config.slackTarget()) - ratio) / b, config.floor(), 1);
        lastStep = next - duty;
        lastRatio = ratio;
        duty = next;
        return duty;
    }

    /** The gain in use: the RLS estimate clamped to the bounds. */
    public double gain() {
        return clamp(estimator.gain(), config.gainMin(), config.gainMax());
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
