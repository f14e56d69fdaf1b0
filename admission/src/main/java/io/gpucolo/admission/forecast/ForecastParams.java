package io.gpucolo.admission.forecast;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link LoadForecaster}.
 *
 * @param recentWindow       how far back the recent peak and the trend look
 * @param burstMargin        fraction added on top of the largest term (0.2 = +20%)
 * @param seasonPeriod       length of one season (a day)
 * @param seasonalHalfWidth  samples within this distance of the same phase in earlier seasons count
 * @param seasonalQuantile   quantile of those samples used (0..1)
 * @param seasons            how many earlier seasons are looked at
 */
public record ForecastParams(Duration recentWindow, double burstMargin, Duration seasonPeriod,
                             Duration seasonalHalfWidth, double seasonalQuantile, int seasons) {
    public ForecastParams {
        Objects.requireNonNull(recentWindow, "recentWindow");
        Objects.requireNonNull(seasonPeriod, "seasonPeriod");
        Objects.requireNonNull(seasonalHalfWidth, "seasonalHalfWidth");
        if (recentWindow.isNegative() || recentWindow.isZero()) {
            throw new IllegalArgumentException("recent window must be positive");
        }
        if (!(burstMargin >= 0 && burstMargin <= 10)) {
            throw new IllegalArgumentException("burst margin must be in 0..10, got " + burstMargin);
        }
        if (seasonPeriod.isNegative() || seasonPeriod.isZero()) {
            throw new IllegalArgumentException("season period must be positive");
        }
        if (seasonalHalfWidth.isNegative() || seasonalHalfWidth.compareTo(seasonPeriod.dividedBy(2)) > 0) {
            throw new IllegalArgumentException("seasonal half width must be in 0..period/2");
        }
        if (!(seasonalQuantile >= 0 && seasonalQuantile <= 1)) {
            throw new IllegalArgumentException("seasonal quantile must be in 0..1, got " + seasonalQuantile);
        }
        if (seasons < 0 || seasons > 366) {
            throw new IllegalArgumentException("seasons must be in 0..366, got " + seasons);
        }
    }

    /**
     * Defaults: 30 min recent window, +20% burst margin, daily season, +-10 min, median, 3 days. Chosen on the
     * ServeGen traces (docs/MODEL.md): the 95th percentile over 7 days cut exceedance from 1.4% to 0.7% but
     * over-provisioned the median forecast by 40-120% instead of 30-45%.
     */
    public static ForecastParams defaults() {
        return new ForecastParams(Duration.ofMinutes(30), 0.2, Duration.ofDays(1), Duration.ofMinutes(10), 0.5, 3);
    }

    public ForecastParams withRecentWindow(Duration d) {
        return new ForecastParams(d, burstMargin, seasonPeriod, seasonalHalfWidth, seasonalQuantile, seasons);
    }

    public ForecastParams withBurstMargin(double m) {
        return new ForecastParams(recentWindow, m, seasonPeriod, seasonalHalfWidth, seasonalQuantile, seasons);
    }
}
