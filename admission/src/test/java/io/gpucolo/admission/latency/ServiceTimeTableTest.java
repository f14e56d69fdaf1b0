package io.gpucolo.admission.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Interpolation, extrapolation, gap filling and the effective batch of the service-time table. */
class ServiceTimeTableTest {
    /** Shares 50 and 100; batches 1 and 4; one and two processes. The 50%/4/2 point is missing. */
    static final LatencyProfile TINY = new LatencyProfile("A100-80GB", "tiny", "test", List.of(
            row(100, 1, 1, 2), row(100, 4, 1, 4), row(100, 1, 2, 3), row(100, 4, 2, 7),
            row(50, 1, 1, 3), row(50, 4, 1, 6), row(50, 1, 2, 5)));

    static ProfileRow row(double share, int batch, int procs, double ms) {
        return new ProfileRow(share, batch, procs, 0, 0, ms, Double.NaN);
    }

    private final ServiceTimeTable t = ServiceTimeTable.of(TINY);

    @ParameterizedTest(name = "share {0}% batch {1} procs {2} -> {3} ms")
    @CsvSource({
            "100, 1,  1, 2",
            "50,  4,  1, 6",
            // between shares, linear in 1/share: 2 + (3 - 2) (1/75 - 1/100) / (1/50 - 1/100)
            "75,  1,  1, 2.333333333",
            // below the smallest share, the same line extended: 3 + 100 (1/25 - 1/50)
            "25,  1,  1, 5",
            // between batches, log-log: sqrt(2 * 4)
            "100, 2,  1, 2.828427125",
            // above the largest batch, linear in the batch
            "100, 16, 1, 16",
            // beyond the measured processes, time slicing: 7 * 3 / 2
            "100, 4,  3, 10.5",
            // missing cell: S(50,4,1) x the slowdown of the previous batch at 50% (5 / 3)
            "50,  4,  2, 10",
    })
    void serviceTime(int share, double batch, int procs, double ms) {
        assertEquals(ms, t.ms(share, batch, procs), 1e-6);
    }

    @Test
    void noisyPointsAreMadeMonotone() {
        ServiceTimeTable noisy = ServiceTimeTable.of(new LatencyProfile("A100", "n", "test",
                List.of(row(100, 1, 1, 5), row(100, 8, 1, 4.9), row(50, 1, 1, 4))));
        assertEquals(5, noisy.ms(100, 8, 1), 1e-9);
        assertEquals(5, noisy.ms(50, 1, 1), 1e-9);
    }

    @ParameterizedTest(name = "c={0} -> x_e {1}")
    @CsvSource({
            // c S(1) = 2c <= 1: x_e = max(1, 2c)
            "0.25, 1",
            // segment 1..4 has slope 1/2, S(x) = 2 sqrt(x): x = c 2 sqrt(x) -> x = (2c)^2
            "0.75, 2.25",
            "1.0,  4",
    })
    void effectiveBatchIsTheFixedPoint(double c, double xe) {
        assertEquals(xe, t.effectiveBatch(100, 1, c, 4), 1e-9);
    }

    @Test
    void effectiveBatchStopsAtTheLargestBatch() {
        assertEquals(3, t.effectiveBatch(100, 1, 1.0, 3), 1e-9);
    }

    @Test
    void aShareWithoutItsSmallestBatchIsRefused() {
        var p = new LatencyProfile("A100", "gap", "test", List.of(row(100, 1, 1, 2), row(50, 4, 1, 6)));
        var e = assertThrows(IllegalArgumentException.class, () -> ServiceTimeTable.of(p));
        assertTrue(e.getMessage().contains("share 50.0% and batch 1"), e.getMessage());
    }
}
