package io.gpucolo.admission.policy;

import java.time.Duration;

/**
 * Moves a control law's settings counted in periods to another period, keeping their times. With k = the old
 * period / the new one: a count of periods becomes k times as many (at least 1), a step per period becomes 1/k as
 * large (at most 1), and a forgetting factor λ per period becomes λ^(1/k) (the same memory in seconds). The one rule
 * behind the policy's defaults at any {@code inner_period_ms} ({@link Policy.Controller#atInnerPeriod}) and noded's
 * own tuning at any period ({@code LawTuning.rescaled}).
 *
 * @param k the old period divided by the new one
 */
public record PeriodScale(double k) {
    public PeriodScale {
        if (!(k > 0) || Double.isInfinite(k)) {
            throw new IllegalArgumentException("period ratio must be positive and finite, got " + k);
        }
    }

    /** From settings meant for periods of {@code from} to periods of {@code to}. */
    public static PeriodScale between(Duration from, Duration to) {
        return new PeriodScale((double) from.toNanos() / to.toNanos());
    }

    /** A number of periods, as many at the new period for the same time, at least {@code min}. */
    public int count(int periods, int min) {
        return Math.max(min, (int) Math.round(periods * k));
    }

    /** A step per period (at most 1), for the same change per second. */
    public double step(double perPeriod) {
        return Math.min(1, perPeriod / k);
    }

    /** A forgetting factor per period, for the same memory in seconds. */
    public double forgetting(double lambda) {
        return StrictMath.pow(lambda, 1 / k);
    }
}
