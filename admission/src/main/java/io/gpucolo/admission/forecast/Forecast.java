package io.gpucolo.admission.forecast;

import java.util.Objects;

/**
 * A load forecast and its terms, requests per second.
 *
 * @param rps        the forecast: {@code (1 + margin) max(recentPeak, seasonal, trend)}
 * @param recentPeak largest rate in the recent window
 * @param seasonal   the seasonal quantile (0 without earlier seasons)
 * @param trend      the recent EWMA level extrapolated by its upward trend over the horizon
 * @param binding    which term is the largest: {@code recent-peak}, {@code seasonal}, {@code trend} or {@code none}
 */
public record Forecast(double rps, double recentPeak, double seasonal, double trend, String binding) {
    public Forecast {
        Objects.requireNonNull(binding, "binding");
        if (!(rps >= 0) || Double.isInfinite(rps)) {
            throw new IllegalArgumentException("forecast must be a finite number >= 0, got " + rps);
        }
    }
}
