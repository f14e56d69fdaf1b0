package io.gpucolo.admission.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gpucolo.admission.model.ServiceLoad;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The forecaster law: small series in, exact forecast out. */
class LoadForecasterTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** 30 min window, +10% margin, no seasons. */
    static final ForecastParams RECENT_ONLY = new ForecastParams(Duration.ofMinutes(30), 0.1, Duration.ofDays(1),
            Duration.ZERO, 0.5, 0);

    static RateSample at(long minutes, double rps) {
        return new RateSample(T0.plus(Duration.ofMinutes(minutes)), rps);
    }

    static Instant min(long minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    @Test
    void recentPeakBinds() {
        // level: 10, then a = 1 - exp(-600/450) each step; level(15 min) = 10 (the 10-minute sample)
        Forecast f = new LoadForecaster(RECENT_ONLY).forecast(List.of(at(10, 10), at(20, 20), at(30, 15)), min(30),
                Duration.ofMinutes(10), 99);
        double a = 1 - Math.exp(-600.0 / 450);
        double level = 10 + a * (20 - 10);
        level += a * (15 - level);
        assertEquals(15.623151, level, 1e-6);
        assertEquals(level + (level - 10) / 900 * 600, f.trend(), 1e-9);
        assertEquals(19.371918, f.trend(), 1e-6);
        assertEquals(20, f.recentPeak(), 0);
        assertEquals(22, f.rps(), 1e-12);
        assertEquals("recent-peak", f.binding());
    }

    @Test
    void risingTrendBinds() {
        // level 10 -> 10 + a 30 -> ... the upward slope carries it above the peak
        Forecast f = new LoadForecaster(RECENT_ONLY).forecast(List.of(at(10, 10), at(20, 40), at(30, 40)), min(30),
                Duration.ofMinutes(30), 0);
        double a = 1 - Math.exp(-600.0 / 450);
        double level = 10 + a * 30;
        level += a * (40 - level);
        double trend = level + (level - 10) / 900 * 1800;
        assertEquals(trend, f.trend(), 1e-9);
        assertEquals("trend", f.binding());
        assertEquals(1.1 * trend, f.rps(), 1e-9);
    }

    @Test
    void samplesOutsideTheWindowOrAfterNowDoNotCount() {
        Forecast f = new LoadForecaster(RECENT_ONLY).forecast(List.of(at(0, 100), at(20, 5), at(40, 100)), min(30),
                Duration.ZERO, 0);
        assertEquals(5 * 1.1, f.rps(), 1e-12);
    }

    @Test
    void seasonalQuantileOfEarlierDays() {
        ForecastParams p = new ForecastParams(Duration.ofMinutes(30), 0, Duration.ofDays(1), Duration.ofMinutes(10),
                0.5, 2);
        List<RateSample> h = new ArrayList<>();
        // two days ago and one day ago around 12:00 (+-10 min and the 20 min horizon): 40, 60, 80 and 10, 30
        long day = 24 * 60;
        h.add(at(720 - 10, 40));
        h.add(at(720 + 5, 60));
        h.add(at(720 + 30, 80));
        h.add(at(720 + 31, 1000)); // beyond the horizon + half width
        h.add(at(day + 720, 10));
        h.add(at(day + 720 + 20, 30));
        h.add(at(2 * day + 700, 5)); // recent sample
        Forecast f = new LoadForecaster(p).forecast(h, min(2 * day + 720), Duration.ofMinutes(20), 0);
        assertEquals(40, f.seasonal(), 1e-12); // median of 10, 30, 40, 60, 80
        assertEquals("seasonal", f.binding());
        assertEquals(40, f.rps(), 1e-12);
    }

    @Test
    void noHistoryGivesTheFallback() {
        Forecast f = new LoadForecaster(ForecastParams.defaults()).forecast(List.of(), T0, Duration.ofMinutes(10), 12.5);
        assertEquals(new Forecast(12.5, 0, 0, 0, "none"), f);
    }

    @Test
    void plannedLoadKeepsTheBatch() {
        LoadForecaster f = new LoadForecaster(RECENT_ONLY);
        assertEquals(new ServiceLoad(22, 16), f.plannedLoad(List.of(at(10, 10), at(20, 20), at(30, 15)), min(30),
                Duration.ofMinutes(10), new ServiceLoad(99, 16)));
        assertEquals(new ServiceLoad(99, 16), f.plannedLoad(List.of(), min(30), Duration.ofMinutes(10),
                new ServiceLoad(99, 16)));
    }

    @ParameterizedTest(name = "q={0} of 1,2,3,4 -> {1}")
    @CsvSource({"0, 1", "0.5, 2.5", "1, 4", "0.9, 3.7"})
    void quantileInterpolates(double q, double v) {
        assertEquals(v, LoadForecaster.quantile(new double[]{1, 2, 3, 4}, 4, q), 1e-12);
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LoadForecaster(RECENT_ONLY)
                .forecast(List.of(), T0, Duration.ofSeconds(-1), 0));
        assertThrows(IllegalArgumentException.class, () -> RECENT_ONLY.withBurstMargin(-0.1));
        assertThrows(IllegalArgumentException.class, () -> new RateSample(T0, Double.NaN));
    }
}
