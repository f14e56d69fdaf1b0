package io.gpucolo.node.law;

/**
 * Identifies online the plant gain {@code b} of the incremental model {@code Δr(k) = b · Δd(k-1)}, where {@code r} is
 * the tightest latency ratio p99/SLO and {@code d} the training duty cycle, by scalar recursive least squares with a
 * forgetting factor λ:
 * <pre>
 *   K    = P·φ / (λ + φ·P·φ)          φ = Δd(k-1), y = Δr(k)
 *   b   ← b + K·(y − b·φ)
 *   P   ← min(P_max, (P − K·φ·P) / λ)
 * </pre>
 * A step is taken only when |φ| ≥ {@code minExcitation}: without a change of duty the data say nothing about the
 * gain, and forgetting without data would blow P up (covariance wind-up); P is also capped at {@code pMax}.
 * Operating range: λ in (0, 1] (0.9–0.99 typical), P0 &gt; 0. The estimate is unbounded here; the law clamps it.
 * Not thread-safe; one per controlled GPU.
 */
public final class RecursiveGainEstimator {
    private final double forgetting;
    private final double pMax;
    private final double minExcitation;
    private double gain;
    private double covariance;

    public RecursiveGainEstimator(double initialGain, double initialCovariance, double forgetting, double pMax,
                                  double minExcitation) {
        if (!(forgetting > 0 && forgetting <= 1)) {
            throw new IllegalArgumentException("forgetting factor must be in (0, 1], got " + forgetting);
        }
        if (!(initialCovariance > 0) || !(pMax >= initialCovariance) || Double.isInfinite(pMax)) {
            throw new IllegalArgumentException("need 0 < P0 <= Pmax < inf, got P0=" + initialCovariance + " Pmax=" + pMax);
        }
        if (!(minExcitation > 0)) {
            throw new IllegalArgumentException("minimum excitation must be > 0, got " + minExcitation);
        }
        if (!Double.isFinite(initialGain)) {
            throw new IllegalArgumentException("initial gain must be finite, got " + initialGain);
        }
        this.gain = initialGain;
        this.covariance = initialCovariance;
        this.forgetting = forgetting;
        this.pMax = pMax;
        this.minExcitation = minExcitation;
    }

    /** One RLS step with regressor {@code phi} (the duty change) and response {@code y} (the ratio change). */
    public double observe(double phi, double y) {
        if (!(Math.abs(phi) >= minExcitation) || !Double.isFinite(y)) {
            return gain;
        }
        double k = covariance * phi / (forgetting + phi * covariance * phi);
        gain += k * (y - gain * phi);
        covariance = Math.min(pMax, (covariance - k * phi * covariance) / forgetting);
        return gain;
    }

    public double gain() {
        return gain;
    }

    public double covariance() {
        return covariance;
    }
}
