package io.gpucolo.cli.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoSummaryTest {
    @Test
    void countsOnlyWindowsInsideEachServicesBurst() {
        Timeline tl = new Timeline();
        tl.add("slo.a", 0, 50);
        tl.add("slo.b", 0, 100);
        for (int t = 1; t <= 10; t++) {
            tl.add("p99.a", t, t == 5 || t == 9 ? 60 : 40);   // over at 5 (in a's burst) and 9 (after it)
            tl.add("p99.b", t, t == 3 ? 150 : 90);           // over at 3, before b's burst
        }
        int[] w = DemoSummary.burstWindows(tl, Map.of("a", new double[] {4, 8}, "b", new double[] {5, 9}));
        assertArrayEquals(new int[] {8, 1}, w);
        DemoSummary s = new DemoSummary(w[0], w[1], 3, 3, 1, 7, 5, 2);
        assertEquals(12.5, s.burstViolationPct(), 1e-12);
        assertEquals(3, s.gpusSaved());
    }

    @Test
    void rejectsMoreViolationsThanWindows() {
        assertThrows(IllegalArgumentException.class, () -> new DemoSummary(2, 3, 0, 0, 0, 0, 1, 1));
    }

    @Test
    void scheduleRefusesLoadLongerThanTheDemoMayRun() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DemoSchedule(100, 100, 100, 2, 4, 1));
        assertEquals(true, e.getMessage().contains("5 minutes"));
    }
}
