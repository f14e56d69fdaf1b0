package io.gpucolo.node.law;

/**
 * The published GPUColo inner law (ICDCS 2024), kept as the baseline. Controlled variable: the mean inference
 * latency l(k) over the period; actuator: the training sleep s between iterations; fixed offline model
 * {@code l = m·s + n} with m &lt; 0 (ms of latency per second of sleep):
 * <pre>
 *   s(k+1) = clamp(s(k) + (L_ref − l(k)) / m, 0, sMax)
 *   duty   = I / (I + s)          (I: the training iteration time, so the duty is the fraction of time running)
 * </pre>
 * Deadbeat on the nominal model; stable while the true slope is within (0, 2m) (same sign, at most twice as steep).
 * The paper runs it every 4 s: wrap it in {@link WindowedInnerLaw} to feed it 4-second windows.
 * Operating range: s in [0, sMax] with sMax ≈ 1 s, iterations of 0.2–0.8 s.
 */
public final class PaperInnerLaw implements InnerLaw {
    /**
     * @param referenceMs   L_ref, the set point on mean latency, ms (the paper: the SLO per batch)
     * @param slopeMsPerS   m, the offline-fitted slope, ms per second of sleep; must be &lt; 0
     * @param iterationS    I, the training iteration time, seconds (&gt; 0)
     * @param maxSleepS     sMax, seconds (&gt; 0)
     * @param initialSleepS s(0), in [0, sMax]
     */
    public record Config(double referenceMs, double slopeMsPerS, double iterationS, double maxSleepS,
                         double initialSleepS) {
        public Config {
            if (!(referenceMs > 0)) {
                throw new IllegalArgumentException("reference latency must be > 0 ms, got " + referenceMs);
            }
            if (!(slopeMsPerS < 0) || Double.isInfinite(slopeMsPerS)) {
                throw new IllegalArgumentException("slope m must be a finite negative number (ms per s of sleep), got " + slopeMsPerS);
            }
            if (!(iterationS > 0) || !(maxSleepS > 0)) {
                throw new IllegalArgumentException("iteration and max sleep must be > 0 s, got " + iterationS + ", " + maxSleepS);
            }
            if (!(initialSleepS >= 0 && initialSleepS <= maxSleepS)) {
                throw new IllegalArgumentException("initial sleep must be in [0, " + maxSleepS + "], got " + initialSleepS);
            }
        }
    }

    private final Config config;
    private double sleep;

    public PaperInnerLaw(Config config) {
        this.config = config;
        this.sleep = config.initialSleepS();
    }

    @Override
    public double update(LatencySample sample) {
        double mean = sample.meanLatencyMs();
        if (Double.isNaN(mean)) {
            return duty();
        }
        sleep = AdaptiveDutyLaw.clamp(sleep + (config.referenceMs() - mean) / config.slopeMsPerS(), 0, config.maxSleepS());
        return duty();
    }

    /** The sleep per iteration in force, seconds. */
    public double sleepSeconds() {
        return sleep;
    }

    @Override
    public double duty() {
        return config.iterationS() / (config.iterationS() + sleep);
    }

    @Override
    public double floor() {
        return config.iterationS() / (config.iterationS() + config.maxSleepS());
    }
}
