package io.gpucolo.admission.forecast;

import java.time.Duration;
import java.time.Instant;
import io.gpucolo.admission.model.ServiceLoad;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Forecasts the largest request rate a service will carry over the next {@code h} from its recent history.
 *
 * <p>Equation, with samples {@code r(t)} at times {@code t <= now}, recent window {@code W}, season {@code P}
 * (a day), {@code D} earlier seasons, half width {@code w}, quantile {@code q}, margin {@code m}:
 * <pre>
 *   peak     = max { r(t) : now - W &lt; t &lt;= now }
 *   seasonal = q-quantile { r(t) : t in [now - dP - w, now - dP + h + w], d = 1..D }   (0 if no such sample)
 *   level(t) = EWMA of r over the window, weight 1 - exp(-dt / (W / 4)) per sample
 *   trend    = level(now) + max(0, (level(now) - level(now - W/2)) / (W/2)) h
 *   F(now,h) = (1 + m) max(peak, seasonal, trend)
 * </pre>
 * With no sample in the window the forecast is {@code (1 + m) seasonal}, or the caller's fallback when that is 0
 * too. Operating range: samples evenly spaced or not, at most one per instant; {@code h} up to a few windows.
 * Pure (time is an argument, never read from a clock), immutable and thread-safe. Cost O(n) in the samples.
 */
public final class LoadForecaster {
    private final ForecastParams params;

    public LoadForecaster(ForecastParams params) {
        this.params = Objects.requireNonNull(params, "params");
    }

    public ForecastParams params() {
        return params;
    }

    /**
     * @param history     samples in time order (later samples than {@code now} are ignored)
     * @param now         the time of the forecast
     * @param horizon     how far ahead the forecast must hold
     * @param fallbackRps forecast to give when there is no history at all (e.g. the service's nominal load)
     */
    public Forecast forecast(List<RateSample> history, Instant now, Duration horizon, double fallbackRps) {
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(horizon, "horizon");
        if (horizon.isNegative()) {
            throw new IllegalArgumentException("horizon must be >= 0");
        }
        double windowS = seconds(params.recentWindow());
        double tauS = windowS / 4;
        Instant from = now.minus(params.recentWindow());
        Instant mid = now.minus(params.recentWindow().dividedBy(2));
        double peak = 0;
        double level = Double.NaN;
        double levelAtMid = Double.NaN;
        Instant last = null;
        boolean any = false;
        for (int i = firstAtOrAfter(history, from); i < history.size(); i++) {
            RateSample s = history.get(i);
            if (s.at().isAfter(now)) {
                break;
            }
            if (!s.at().isAfter(from)) {
                continue;
            }
            any = true;
            peak = Math.max(peak, s.rps());
            if (Double.isNaN(level)) {
                level = s.rps();
            } else {
                double a = 1 - Math.exp(-seconds(Duration.between(last, s.at())) / tauS);
                level += a * (s.rps() - level);
            }
            last = s.at();
            if (!s.at().isAfter(mid)) {
                levelAtMid = level;
            }
        }
        double seasonal = seasonal(history, now, horizon);
        double trend = 0;
        if (any) {
            double slope = Double.isNaN(levelAtMid) ? 0 : (level - levelAtMid) / (windowS / 2);
            trend = level + Math.max(0, slope) * seconds(horizon);
        }
        double top = Math.max(peak, Math.max(seasonal, trend));
        if (!any && seasonal == 0) {
            return new Forecast(Math.max(0, fallbackRps), 0, 0, 0, "none");
        }
        String binding = top == peak ? "recent-peak" : top == seasonal ? "seasonal" : "trend";
        return new Forecast((1 + params.burstMargin()) * top, peak, seasonal, trend, binding);
    }

    /**
     * The load to plan a service at: its batch with the forecast rate, or {@code nominal}'s rate when there is no
     * history. This is what goes into {@code HeadroomEstimator}'s forecast map (and the cluster state's load).
     */
    public ServiceLoad plannedLoad(List<RateSample> history, Instant now, Duration horizon, ServiceLoad nominal) {
        Objects.requireNonNull(nominal, "nominal");
        return new ServiceLoad(forecast(history, now, horizon, nominal.requestsPerSecond()).rps(), nominal.batch());
    }

    private double seasonal(List<RateSample> history, Instant now, Duration horizon) {
        if (params.seasons() == 0) {
            return 0;
        }
        double[] picked = new double[16];
        int n = 0;
        for (int d = 1; d <= params.seasons(); d++) {
            Instant start = now.minus(params.seasonPeriod().multipliedBy(d)).minus(params.seasonalHalfWidth());
            Instant end = now.minus(params.seasonPeriod().multipliedBy(d)).plus(horizon).plus(params.seasonalHalfWidth());
            int i = firstAtOrAfter(history, start);
            for (; i < history.size() && !history.get(i).at().isAfter(end); i++) {
                if (n == picked.length) {
                    picked = Arrays.copyOf(picked, n * 2);
                }
                picked[n++] = history.get(i).rps();
            }
        }
        if (n == 0) {
            return 0;
        }
        Arrays.sort(picked, 0, n);
        return quantile(picked, n, params.seasonalQuantile());
    }

    /** Linear interpolation between order statistics: index {@code q (n - 1)}. */
    static double quantile(double[] sorted, int n, double q) {
        double pos = q * (n - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(n - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    private static int firstAtOrAfter(List<RateSample> history, Instant t) {
        int lo = 0;
        int hi = history.size();
        while (lo < hi) {
            int m = (lo + hi) >>> 1;
            if (history.get(m).at().isBefore(t)) {
                lo = m + 1;
            } else {
                hi = m;
            }
        }
        return lo;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
