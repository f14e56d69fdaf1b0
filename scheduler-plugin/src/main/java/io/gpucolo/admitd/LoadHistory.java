package io.gpucolo.admitd;

import io.gpucolo.admission.forecast.ForecastParams;
import io.gpucolo.admission.forecast.LoadForecaster;
import io.gpucolo.admission.forecast.RateSample;
import io.gpucolo.admission.model.GpuId;
import io.gpucolo.admission.model.ServiceLoad;
import io.gpucolo.admission.policy.Policy;
import io.gpucolo.store.LoadSample;
import io.gpucolo.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The load each resident service is planned at for eviction: the admission core's {@link LoadForecaster} over the
 * service's load history on its GPU (the store's {@code load_sample}, written by the node side), the same
 * forecaster admission plans with.
 * <pre>
 *   planned = F(now, h)   with F = LoadForecaster(recent window W, burst margin 0, daily seasons S),
 *   h = margins.forecast_horizon, W = h (at least 60 s), S = floor(margins.history_window / 1 day), at most 3
 * </pre>
 * The burst margin is 0 here because the {@code headroom} capacity already plans with {@code load × (1 + burst
 * margin)}. A burst raises the plan at once (the recent peak); it falls only when the burst has left the window
 * and no rising trend remains. With no sample at all the service keeps its current (nominal) load. History is
 * read incrementally: each pass asks the store only for samples newer than the last one seen.
 */
final class LoadHistory {
    static final Duration MIN_WINDOW = Duration.ofSeconds(60);

    private final Store store;
    private final Map<String, List<RateSample>> byKey = new HashMap<>();
    private final Map<String, Instant> readUpTo = new HashMap<>();

    LoadHistory(Store store) {
        this.store = store;
    }

    static ForecastParams params(Policy.Margins m) {
        Duration window = m.forecastHorizon().compareTo(MIN_WINDOW) < 0 ? MIN_WINDOW : m.forecastHorizon();
        int seasons = (int) Math.min(3, m.historyWindow().toDays());
        ForecastParams d = ForecastParams.defaults().withBurstMargin(0).withRecentWindow(window);
        return new ForecastParams(d.recentWindow(), 0, d.seasonPeriod(), d.seasonalHalfWidth(), d.seasonalQuantile(), seasons);
    }

    /** How far back the forecaster looks. */
    static Duration reach(ForecastParams p) {
        Duration seasonal = p.seasonPeriod().multipliedBy(p.seasons()).plus(p.seasonalHalfWidth());
        return p.seasons() > 0 && seasonal.compareTo(p.recentWindow()) > 0 ? seasonal : p.recentWindow();
    }

    /** The planned load of {@code service} on {@code gpu} now; {@code current} when it has no history. */
    ServiceLoad planned(String service, GpuId gpu, ServiceLoad current, Instant now, Policy.Margins margins) {
        ForecastParams p = params(margins);
        String key = service + "@" + gpu;
        List<RateSample> h = byKey.computeIfAbsent(key, k -> new ArrayList<>());
        Instant oldest = now.minus(reach(p));
        Instant from = readUpTo.getOrDefault(key, oldest);
        for (LoadSample s : store.loadHistory(service, from.isBefore(oldest) ? oldest : from, now.plusSeconds(1))) {
            if (s.gpu().equals(gpu.toString()) && (h.isEmpty() || s.at().isAfter(h.get(h.size() - 1).at()))) {
                h.add(new RateSample(s.at(), s.requestsPerSecond()));
            }
        }
        if (!h.isEmpty()) {
            readUpTo.put(key, h.get(h.size() - 1).at().plusMillis(1));
        }
        h.removeIf(s -> s.at().isBefore(oldest));
        double rps = new LoadForecaster(p).forecast(h, now, margins.forecastHorizon(), current.requestsPerSecond()).rps();
        return new ServiceLoad(rps, current.batch());
    }
}
