package io.gpucolo.node.law;

import static io.gpucolo.node.law.Samples.at;
import static io.gpucolo.node.law.Samples.svc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencySampleTest {
    @Test
    void tightestSlackAndMeanIgnoreIdleServices() {
        LatencySample s = at(1, svc("a", 100, 80, 40), ServiceLatency.idle("b", 10), svc("c", 50, 45, 30));
        assertEquals(0.1, s.tightestSlack(), 1e-12);
        assertEquals(35.0, s.meanLatencyMs(), 1e-12);
        assertTrue(Double.isNaN(at(1, ServiceLatency.idle("b", 10)).tightestSlack()));
    }

    @Test
    void mergeAddsCountsWeightsMeansAndKeepsTheLargestP99() {
        LatencySample a = at(1, new ServiceLatency("s", 100, 60, 20, 10));
        LatencySample b = at(2, new ServiceLatency("s", 100, 90, 50, 30));
        LatencySample m = LatencySample.merge(List.of(a, b, at(3, ServiceLatency.idle("s", 100))));
        assertEquals(Instant.EPOCH.plusSeconds(3), m.at());
        ServiceLatency s = m.services().get(0);
        assertEquals(40, s.count());
        assertEquals((20 * 10 + 50 * 30) / 40.0, s.meanMs(), 1e-12);
        assertEquals(90, s.p99Ms(), 0);
    }

    @Test
    void rejectsInconsistentWindows() {
        assertThrows(IllegalArgumentException.class, () -> new ServiceLatency("s", 0, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ServiceLatency("s", 10, Double.NaN, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> new LatencySample(Instant.EPOCH, List.of()));
    }
}
