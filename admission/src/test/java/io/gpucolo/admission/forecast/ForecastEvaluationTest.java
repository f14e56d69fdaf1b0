package io.gpucolo.admission.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replaying series through the forecaster: exact counts on a small series, bounds on the real traces. */
class ForecastEvaluationTest {
    static final Path DATA = Path.of(System.getProperty("gpucolo.shared", "../../shared"), "data");

    @Test
    void countsExceedances() {
        ForecastParams p = new ForecastParams(Duration.ofMinutes(10), 0, Duration.ofDays(1), Duration.ZERO, 0.5, 0);
        // window = one sample; forecasts at 10, 20, 30 (the last sample has no future); level = the last sample
        List<RateSample> s = List.of(LoadForecasterTest.at(10, 10), LoadForecasterTest.at(20, 20),
                LoadForecasterTest.at(30, 15), LoadForecasterTest.at(40, 15));
        ForecastEvaluation e = ForecastEvaluation.run("t", s, new LoadForecaster(p), Duration.ofMinutes(10), Duration.ZERO);
        assertEquals(3, e.forecasts());
        assertEquals(1, e.exceeded()); // 10 -> 20
        assertEquals(1.0, e.maxExcess(), 1e-12);
        assertEquals(1.0, e.meanExcess(), 1e-12);
        // forecast / actual - 1: 10/20 - 1, 20/15 - 1, 15/15 - 1 -> median 0
        assertEquals(0, e.medianHeadroom(), 1e-12);
    }

    @Test
    void bucketizeCountsArrivals() {
        Instant t = LoadForecasterTest.T0;
        List<RateSample> r = RateTraces.bucketize(List.of(t, t.plusMillis(500), t.plusSeconds(25)), Duration.ofSeconds(10));
        assertEquals(List.of(new RateSample(t.plusSeconds(10), 0.2), new RateSample(t.plusSeconds(20), 0),
                new RateSample(t.plusSeconds(30), 0.1)), r);
    }

    @Test
    void badTraceRowNamesFileAndLine(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("s.csv");
        Files.writeString(f, RateTraces.SERVEGEN_HEADER + "\nm,0,1.5,3\nm,x,2,3\n");
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> RateTraces.servegen(f));
        assertTrue(e.getMessage().startsWith(f + ":3: "), e.getMessage());
    }

    @Test
    void realLoadRarelyExceedsTheForecast() throws IOException {
        ForecastReport.Result r = ForecastReport.run(DATA, ForecastParams.defaults().burstMargin());
        assertEquals(7, r.evaluations().size());
        int n = 0;
        int over = 0;
        for (ForecastEvaluation e : r.evaluations()) {
            assertTrue(e.forecasts() > 100, e.toString());
            assertTrue(e.exceedanceRate() <= 0.06, e.toString());
            // 10 s buckets of a few req/s are Poisson-noisy: their peaks sit far above the median bucket
            double bound = e.series().startsWith("servegen/") ? 1.0 : 3.0;
            assertTrue(e.medianHeadroom() < bound, "forecast over-provisions: " + e);
            n += e.forecasts();
            over += e.exceeded();
        }
        assertTrue((double) over / n <= 0.02, over + " of " + n);
    }
}
