package io.gpucolo.admission.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The dynamic-batching queue law, fed one operating point at a time, exact numbers from its equations. */
class BatchQueueTest {
    @ParameterizedTest(name = "lambda={0}/ms B={1} S1={2} SB={3} xe={4} Se={5} Shi={6} -> mean {7}, p99 {8}")
    @CsvSource({
            // idle: both are S(1)
            "0,      1, 10, 10, 1, 10, 10, 10,        10",
            // M/D/1 at rho = 0.5: mean = S + rho S / (2 (1 - rho)) = 15; p99 = 10 + 9.8 + 5 ln 50
            "0.05,   1, 10, 10, 1, 10, 10, 15,        39.360115",
            // light load: rho = u = 0.005, no tail terms; mean = 10 + 0.005*10/(2*0.995)
            "0.0005, 1, 10, 10, 1, 10, 10, 10.025126, 10.025126",
            // batching: B = 8, S(8) = 16, rho = 0.25*16/8 = 0.5; x_e = 2, S_e = 8, u = 1
            // mean = 8 + max(4, 0.5*2/(2*0.5) = 1) = 12; p99 = 8 + 8*0.99 + 2*0.5/(2*0.5) ln 50 = 15.92 + 3.912023
            "0.25,   8, 4,  16, 2, 8,  8,  12,        19.832023",
            // the same with a high batch of service 10: p99 = 10 + 10*0.99 + 3.912023
            "0.25,   8, 4,  16, 2, 8,  10, 12,        23.812023",
    })
    void exactPoints(double lambda, int b, double s1, double sb, double xe, double se, double sh, double mean,
                     double p99) {
        LatencyEstimate e = BatchQueue.estimate(lambda, b, s1, sb, xe, se, sh);
        assertEquals(mean, e.meanMs(), 1e-6);
        assertEquals(p99, e.p99Ms(), 1e-6);
    }

    @ParameterizedTest(name = "lambda={0} B={1} xe={2} Se={3} S'={4} -> x_hi {5}")
    @CsvSource({
            // m = 0.25 * 1 = 0.25, x_m = 0.25 * 8 = 2: 2 + 2 sqrt(2 / 0.9375)
            "0.25, 32, 2, 8, 1,   4.921187",
            // capped at B
            "0.25, 4,  2, 8, 1,   4",
            // m >= 1: B
            "0.25, 32, 2, 8, 4,   32",
            // never below x_e
            "0.01, 32, 1, 5, 0.1, 1",
    })
    void highBatch(double lambda, int b, double xe, double se, double slope, double expected) {
        assertEquals(expected, BatchQueue.highBatch(lambda, b, xe, se, slope), 1e-6);
    }

    @Test
    void unstableQueueIsSaturated() {
        LatencyEstimate e = BatchQueue.estimate(0.1, 1, 10, 10, 1, 10, 10);
        assertTrue(e.saturated());
        assertTrue(BatchQueue.estimate(0.5, 8, 4, 16, 8, 16, 16).saturated());
    }

    @Test
    void p99GrowsWithLoad() {
        double last = 0;
        for (double lambda = 0; lambda < 0.099; lambda += 0.001) {
            double p99 = BatchQueue.estimate(lambda, 1, 10, 10, 1, 10, 10).p99Ms();
            assertTrue(p99 >= last, "p99 fell at lambda " + lambda);
            last = p99;
        }
    }
}
