package io.gpucolo.admission.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Replays a rate series through a {@link LoadForecaster}: at every sample time {@code t} after a warm-up, the
 * forecast for {@code (t, t + h]} is compared with the largest real rate in that interval.
 *
 * @param series        name of the series
 * @param forecasts     number of forecasts made
 * @param exceeded      how many were below the real peak of their horizon
 * @param meanExcess    mean of {@code actual / forecast - 1} over the exceeded ones (0 if none)
 * @param maxExcess     largest {@code actual / forecast - 1} (0 if none)
 * @param medianHeadroom median of {@code forecast / actual - 1} over forecasts with actual &gt; 0 (over-provisioning)
 */
public record ForecastEvaluation(String series, int forecasts, int exceeded, double meanExcess, double maxExcess,
                                 double medianHeadroom) {
    public ForecastEvaluation {
        Objects.requireNonNull(series, "series");
    }

    /** Fraction of forecasts the real load exceeded. */
    public double exceedanceRate() {
        return forecasts == 0 ? 0 : (double) exceeded / forecasts;
    }

    private static double median(double[] v, int n) {
        if (n == 0) {
            return 0;
        }
        double[] s = java.util.Arrays.copyOf(v, n);
        java.util.Arrays.sort(s);
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    public static ForecastEvaluation run(String name, List<RateSample> series, LoadForecaster forecaster,
                                         Duration horizon, Duration warmUp) {
        if (series.isEmpty()) {
            return new ForecastEvaluation(name, 0, 0, 0, 0, 0);
        }
        Instant start = series.get(0).at().plus(warmUp);
        int n = 0;
        int over = 0;
        double sumExcess = 0;
        double maxExcess = 0;
        double[] headroom = new double[series.size()];
        int headroomN = 0;
        for (int i = 0; i < series.size(); i++) {
            Instant t = series.get(i).at();
            if (t.isBefore(start)) {
                continue;
            }
            Instant end = t.plus(horizon);
            double actual = -1;
            for (int j = i + 1; j < series.size() && !series.get(j).at().isAfter(end); j++) {
                actual = Math.max(actual, series.get(j).rps());
            }
            if (actual < 0) {
                break;
            }
            double f = forecaster.forecast(series.subList(0, i + 1), t, horizon, 0).rps();
            n++;
            if (actual > f) {
                over++;
                double e = f == 0 ? 1 : actual / f - 1;
                sumExcess += e;
                maxExcess = Math.max(maxExcess, e);
            }
            if (actual > 0) {
                headroom[headroomN++] = f / actual - 1;
            }
        }
        return new ForecastEvaluation(name, n, over, over == 0 ? 0 : sumExcess / over, maxExcess,
                median(headroom, headroomN));
    }
}
