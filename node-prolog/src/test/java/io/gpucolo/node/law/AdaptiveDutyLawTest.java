package io.gpucolo.node.law;

import static io.gpucolo.node.law.Samples.at;
import static io.gpucolo.node.law.Samples.p99;
import static io.gpucolo.node.law.Samples.svc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AdaptiveDutyLawTest {
    private static final double EPS = 1e-12;

    private static AdaptiveDutyLaw law() {
        return new AdaptiveDutyLaw(AdaptiveDutyLaw.Config.defaults());
    }

    @ParameterizedTest(name = "p99 {0} ms of 100 -> duty {1}")
    @CsvSource({
            "110, 0.8",    // r = 1.1: 1 + (0.9 - 1.1) / 1
            "100, 0.9",    // at the SLO: keep 10% slack
            "90, 1.0",     // at the set point
            "50, 1.0",     // 1 + 0.4 clamped to 1 (anti-windup: no credit stored)
            "150, 0.4",    // 1 - 0.6
            "300, 0.05",   // 1 - 2.1 clamped to the floor
    })
    void firstStepFromFullDuty(double p99, double expected) {
        assertEquals(expected, law().update(p99(1, p99)), EPS);
    }

    @Test
    void tightestRelativeSlackDrivesNotTheLargestLatency() {
        // service a: 50 of 100 ms (slack 0.5); service b: 30 of 20 ms (slack -0.5, r = 1.5) -> 1 + (0.9 - 1.5) = 0.4
        assertEquals(0.4, law().update(at(1, svc("a", 100, 50, 20), svc("b", 20, 30, 10))), EPS);
    }

    @Test
    void idleWindowHoldsTheDuty() {
        AdaptiveDutyLaw law = law();
        law.update(p99(1, 110));
        assertEquals(0.8, law.update(at(2, ServiceLatency.idle("s", 100))), EPS);
    }

    @Test
    void secondStepUsesTheGainIdentifiedByRls() {
        AdaptiveDutyLaw law = law();
        law.update(p99(1, 110));                 // d 1 -> 0.8, step -0.2
        double d = law.update(p99(2, 100));      // Δr = -0.1 for Δd = -0.2
        // K = 1*(-0.2)/(0.95 + 0.04); b = 1 + K*(-0.1 - 1*(-0.2)) = 1 - 0.02/0.99
        double b = 1 - 0.02 / 0.99;
        assertEquals(b, law.gain(), EPS);
        assertEquals(0.8 + (0.9 - 1.0) / b, d, EPS);
    }

    @Test
    void gainEstimateIsClampedToItsBounds() {
        AdaptiveDutyLaw law = law();
        law.update(p99(1, 110));                 // d -> 0.8
        law.update(p99(2, 500));                 // latency rose while duty fell: b = 1 - 4.1 * 0.2 / 0.99 < 0.25
        assertEquals(0.25, law.gain(), EPS);     // clamped to gainMin
    }

    @Test
    void rejectsBadTuning() {
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveDutyLaw.Config(0.1, 1.0, 1, 1, 0.25, 4, 0.95));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveDutyLaw.Config(0.1, 0.05, 1, 5, 0.25, 4, 0.95));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveDutyLaw.Config(0.1, 0.05, 1, 1, 0.25, 4, 1.5));
    }
}
