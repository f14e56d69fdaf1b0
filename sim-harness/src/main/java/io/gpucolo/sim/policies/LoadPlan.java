package io.gpucolo.sim.policies;

import io.gpucolo.admission.forecast.ForecastParams;
import io.gpucolo.admission.forecast.LoadForecaster;
import io.gpucolo.admission.forecast.RateSample;
import io.gpucolo.sim.traces.LoadSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The load factor admission plans the inference services for, forecast the way the daemon does it: the
 * admission core's {@link LoadForecaster} over the factors observed so far (one sample per ended load window),
 * not the series' peak. Every inference task's rate is its nominal rate times the series' factor, so one
 * forecast of the factor serves every service.
 *
 * <pre>
 *   planned(now) = ceil( F(now, h) x STEPS ) / STEPS,   F = LoadForecaster with burst margin 0, fallback 1 (nominal)
 *   h = max(policy forecast horizon, one load window)
 * </pre>
 * The forecaster runs with burst margin 0 because the {@code headroom} capacity already plans with
 * {@code load x (1 + burstMargin)}. Rounding up to a step of 5% keeps the plan stable between windows
 * whose forecasts differ by less, so the mirrored services are re-planned only when it moves a step. A flat
 * series has no windows: the plan stays at the nominal load (factor 1, which is also its peak).
 */
final class LoadPlan {
    /** Plan steps per unit of nominal load: the plan moves in steps of 5%. */
    static final int STEPS = 20;

    private final LoadSeries load;
    private final LoadForecaster forecaster = new LoadForecaster(ForecastParams.defaults().withBurstMargin(0));
    private final Duration horizon;
    private final List<RateSample> history = new ArrayList<>();
    private int planned = STEPS;

    LoadPlan(LoadSeries load, Duration policyHorizon) {
        this.load = load;
        Duration step = Duration.ofSeconds(Math.min(load.stepSeconds(), Duration.ofDays(365).toSeconds()));
        this.horizon = policyHorizon.compareTo(step) >= 0 ? policyHorizon : step;
    }

    /** The factor of nominal load admission plans for now. */
    double factor() {
        return planned / (double) STEPS;
    }

    /**
     * A load window began at {@code nowMs}: the one that just ended is observed and the plan re-forecast.
     *
     * @return whether the planned factor changed
     */
    boolean windowStarted(long nowMs) {
        long ended = load.window(Math.floorDiv(nowMs, 1000)) - 1;
        Instant now = Instant.ofEpochMilli(nowMs);
        history.add(new RateSample(now, load.factor(ended)));
        double f = forecaster.forecast(history, now, horizon, 1.0).rps();
        int next = (int) Math.max(1, Math.min(1_000_000, Math.ceil(f * STEPS - 1e-9)));
        boolean changed = next != planned;
        planned = next;
        return changed;
    }
}
