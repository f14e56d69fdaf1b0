package io.gpucolo.admitd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpucolo.admission.model.GpuId;
import io.gpucolo.admission.model.ServiceLoad;
import io.gpucolo.admission.policy.Policy;
import io.gpucolo.store.LoadSample;
import io.gpucolo.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The eviction plan from a real H2 store's load history, through the admission core's forecaster. */
class LoadHistoryTest {
    private static final GpuId GPU = new GpuId("vm", 1);
    private static final ServiceLoad NOMINAL = new ServiceLoad(200, 8);
    private static final Policy.Margins MARGINS = new Policy.Margins(0.1, 0.2, Duration.ofMinutes(5), Duration.ofHours(1));
    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path dir;

    private Store store() {
        return Store.open("jdbc:h2:file:" + dir.resolve("s"));
    }

    private static void sample(Store s, String gpu, Instant at, double rps) {
        s.appendLoad(new LoadSample("web", gpu, at, rps, OptionalDouble.empty()));
    }

    @Test
    void noHistoryKeepsTheCurrentLoad() {
        try (Store s = store()) {
            assertEquals(200, new LoadHistory(s).planned("web", GPU, NOMINAL, T0, MARGINS).requestsPerSecond());
        }
    }

    @Test
    void aFlatLoadIsPlannedAsItIsWithoutASecondBurstMargin() {
        try (Store s = store()) {
            for (int i = 0; i < 60; i++) {
                sample(s, "vm:g1", T0.plusSeconds(i), 100);
            }
            sample(s, "vm:g2", T0.plusSeconds(30), 900);                 // another GPU's sample does not count
            ServiceLoad p = new LoadHistory(s).planned("web", GPU, NOMINAL, T0.plusSeconds(60), MARGINS);
            assertEquals(100, p.requestsPerSecond(), 1e-9);
            assertEquals(8, p.batch());
        }
    }

    @Test
    void aRisingLoadIsPlannedAboveItsPeakAndABurstFadesWhenItLeavesTheWindow() {
        try (Store s = store()) {
            LoadHistory h = new LoadHistory(s);
            for (int i = 0; i <= 300; i++) {
                sample(s, "vm:g1", T0.plusSeconds(i), 100 + i);               // +1 req/s every second
            }
            double planned = h.planned("web", GPU, NOMINAL, T0.plusSeconds(300), MARGINS).requestsPerSecond();
            assertTrue(planned > 400 + 100, "a ramp to 400 req/s planned at " + planned + " (trend over 5 min expected)");
            sample(s, "vm:g1", T0.plusSeconds(301), 5000);                   // a burst: at once
            assertEquals(5000, h.planned("web", GPU, NOMINAL, T0.plusSeconds(302), MARGINS).requestsPerSecond(), 1e-9);
            for (int i = 302; i <= 1000; i++) {
                sample(s, "vm:g1", T0.plusSeconds(i), 150);
            }
            double calm = h.planned("web", GPU, NOMINAL, T0.plusSeconds(1000), MARGINS).requestsPerSecond();
            assertEquals(150, calm, 1e-6, "the burst left the 5-minute window");
        }
    }
}
