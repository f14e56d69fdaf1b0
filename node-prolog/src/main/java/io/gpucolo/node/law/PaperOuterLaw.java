package io.gpucolo.node.law;

import java.time.Duration;
import java.time.Instant;

/**
 * The published GPUColo outer law, kept as the baseline: every {@code period} (the paper: 100 s), proportional on the
 * mean-latency error with a fixed linear model {@code l = a·p + c} of latency vs training MPS share (a &gt; 0, ms per
 * share point):
 * <pre>
 *   l̄     = count-weighted mean latency over the period
 *   Δ     = (L_ref − l̄) / a
 *   p    ← clamp(round(p + Δ), 1, 100)     only if |Δ| &gt; deadband (the paper: 2 points)
 * </pre>
 * Unlike ours it does not look at the inner tier: it acts whenever the error is large, at a fixed period.
 * With a 25 s period and no inner tier it is the GSLICE-style "MPS share changes alone" baseline.
 * Operating range: a in (0, 100] ms per point, period ≥ 1 s.
 */
public final class PaperOuterLaw implements OuterLaw {
    /**
     * @param referenceMs L_ref, ms
     * @param slopeMsPerPoint a, ms of latency per share point (&gt; 0)
     * @param period how often it decides
     * @param deadband smallest change made, points
     */
    public record Config(double referenceMs, double slopeMsPerPoint, Duration period, double deadband, int initialShare) {
        public Config {
            if (!(referenceMs > 0) || !(slopeMsPerPoint > 0 && slopeMsPerPoint <= 100)) {
                throw new IllegalArgumentException("need L_ref > 0 and 0 < a <= 100, got " + referenceMs + ", " + slopeMsPerPoint);
            }
            if (period.compareTo(Duration.ofSeconds(1)) < 0 || !(deadband >= 0)) {
                throw new IllegalArgumentException("need period >= 1 s and deadband >= 0, got " + period + ", " + deadband);
            }
            if (initialShare < 1 || initialShare > 100) {
                throw new IllegalArgumentException("share must be in 1..100, got " + initialShare);
            }
        }
    }

    private final Config config;
    private int share;
    private Instant periodStart;
    private double sum;
    private long count;

    public PaperOuterLaw(Config config) {
        this.config = config;
        this.share = config.initialShare();
    }

    @Override
    public int update(LatencySample sample, double innerDuty) {
        if (periodStart == null) {
            periodStart = sample.at();
        }
        for (ServiceLatency s : sample.services()) {
            if (s.hasData()) {
                sum += s.meanMs() * s.count();
                count += s.count();
            }
        }
        if (Duration.between(periodStart, sample.at()).compareTo(config.period()) < 0) {
            return share;
        }
        if (count > 0) {
            double delta = (config.referenceMs() - sum / count) / config.slopeMsPerPoint();
            if (Math.abs(delta) > config.deadband()) {
                share = (int) Math.max(1, Math.min(100, Math.round(share + delta)));
            }
        }
        periodStart = sample.at();
        sum = 0;
        count = 0;
        return share;
    }

    @Override
    public int share() {
        return share;
    }
}
