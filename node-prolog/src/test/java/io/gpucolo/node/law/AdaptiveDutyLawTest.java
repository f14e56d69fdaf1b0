package io.gpucolo.node.law;

import static io.gpucolo.node.law.Samples.at;
import static io.gpucolo.node.law.Samples.load;
import static io.gpucolo.node.law.Samples.p99;
import static io.gpucolo.node.law.Samples.svc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdaptiveDutyLawTest {
    private static final double EPS = 1e-12;

    private static AdaptiveDutyLaw law() {
        return new AdaptiveDutyLaw(AdaptiveDutyLaw.Config.defaults());
    }

    @ParameterizedTest(name = "p99 {0} ms of 100 -> duty {1}")
    @CsvSource({
            "110, 0.65",   // r = 1.1: 1 + (0.75 - 1.1) / 1, cut at once
            "100, 0.75",   // at the SLO: keep 25% slack
            "75, 1.0",     // at the set point
            "50, 1.0",     // room, but already at full duty (anti-windup: no credit stored)
            "150, 0.25",   // 1 - 0.75
            "300, 0.05",   // 1 - 2.25 clamped to the floor
    })
    void firstStepFromFullDuty(double p99, double expected) {
        assertEquals(expected, law().update(p99(1, p99)), EPS);
    }

    @Test
    void tightestRelativeSlackDrivesNotTheLargestLatency() {
        // service a: 50 of 100 ms (slack 0.5); service b: 30 of 20 ms (slack -0.5, r = 1.5) -> 1 + (0.75 - 1.5) = 0.25
        assertEquals(0.25, law().update(at(1, svc("a", 100, 50, 20), svc("b", 20, 30, 10))), EPS);
    }

    @Test
    void idleWindowHoldsTheDuty() {
        AdaptiveDutyLaw law = law();
        law.update(p99(1, 110));
        assertEquals(0.65, law.update(at(2, ServiceLatency.idle("s", 100))), EPS);
    }

    @Test
    void secondCutUsesTheGainIdentifiedByRls() {
        AdaptiveDutyLaw law = law();
        law.update(p99(1, 110));                 // d 1 -> 0.65, step -0.35
        double d = law.update(p99(2, 100));      // Δr = -0.1 for Δd = -0.35
        // K = -0.35 / (0.95 + 0.35^2); b = 1 + K (-0.1 + 0.35)
        double b = 1 - 0.35 * 0.25 / (0.95 + 0.35 * 0.35);
        assertEquals(b, law.gain(), EPS);
        assertEquals(0.65 + (0.75 - 1.0) / b, d, EPS);
    }

    @Test
    void gainEstimateIsClampedToItsBounds() {
        AdaptiveDutyLaw law = law();
        law.update(p99(1, 110));                 // d -> 0.65
        law.update(p99(2, 500));                 // latency rose while duty fell: the RLS gain goes negative
        assertEquals(0.25, law.gain(), EPS);     // clamped to gainMin
    }

    @Test
    void givesDutyBackOnlyAfterQuietPeriodsAndAtMostRaiseStepEach() {
        AdaptiveDutyLaw law = law();
        assertEquals(0.25, law.update(p99(1, 150)), EPS);
        assertEquals(0.25, law.update(p99(2, 40)), EPS);    // room, quiet 1: hold
        assertEquals(0.25, law.update(p99(3, 40)), EPS);    // quiet 2: hold
        assertEquals(0.35, law.update(p99(4, 40)), EPS);    // quiet 3: +raiseStep
        assertEquals(0.45, law.update(p99(5, 40)), EPS);
        double beforeCut = law.duty();
        double cut = law.update(p99(6, 80));                // r 0.8 above r_ref 0.75: cut at once, quiet reset
        assertTrue(cut < beforeCut, "cut on a shrinking slack, got " + cut);
        assertEquals(cut, law.update(p99(7, 40)), EPS);     // quiet 1 again: hold
    }

    @Test
    void aFailedProbeDoublesTheWaitBeforeTheNextOneUntilFullDutyAgain() {
        AdaptiveDutyLaw law = new AdaptiveDutyLaw(AdaptiveDutyLaw.Config.defaults().withFloor(0));
        assertEquals(0.0, law.update(p99(1, 200)), EPS);      // cut to the floor
        int k = 2;
        for (int i = 0; i < 2; i++) {
            assertEquals(0.0, law.update(p99(k++, 40)), EPS);
        }
        assertEquals(0.1, law.update(p99(k++, 40)), EPS);     // probe after 3 quiet periods
        assertEquals(0.0, law.update(p99(k++, 200)), EPS);    // the probe failed
        for (int i = 0; i < 5; i++) {
            assertEquals(0.0, law.update(p99(k++, 40)), EPS, "waits 6 periods now, period " + i);
        }
        assertEquals(0.1, law.update(p99(k++, 40)), EPS);     // second probe after 6
        assertEquals(0.0, law.update(p99(k++, 200)), EPS);    // failed again: 12
        for (int i = 0; i < 11; i++) {
            assertEquals(0.0, law.update(p99(k++, 40)), EPS);
        }
        for (int i = 1; i <= 10; i++) {                       // this probe holds: +0.1 a period up to 1
            assertEquals(0.1 * i, law.update(p99(k++, 40)), 1e-9);
        }
        double cut = law.update(p99(k++, 110));             // at full duty the wait is back to 3: a cut
        assertTrue(cut < 1, "cut " + cut);
        assertEquals(cut, law.update(p99(k++, 40)), EPS);
        assertEquals(cut, law.update(p99(k++, 40)), EPS);
        assertTrue(law.update(p99(k++, 40)) > cut);          // is given back after 3
    }

    @Test
    void antiWindupLongSaturationLeavesNoDebt() {
        AdaptiveDutyLaw law = law();
        for (int k = 1; k <= 50; k++) {
            assertEquals(0.05, law.update(p99(k, 200)), 1e-9);   // far over the SLO for 50 periods: stays at the floor
        }
        law.update(p99(51, 40));
        law.update(p99(52, 40));
        assertEquals(0.15, law.update(p99(53, 40)), 1e-9);       // leaves the floor after 3 quiet periods, no debt
    }

    @Test
    void loadSurgeCutsToTheFloorBeforeTheTailMoves() {
        AdaptiveDutyLaw law = law();
        for (int k = 1; k <= 5; k++) {
            assertEquals(1.0, law.update(load(k * 1000L, 60, 240)), EPS);   // 240 req/s, p99 60 of 100: room
        }
        assertFalse(law.loadHeld());
        assertEquals(0.05, law.update(load(6000, 60, 480)), EPS);         // rate doubled, tail still fine
        assertTrue(law.surged());
        assertTrue(law.loadHeld(), "held for the load: the outer tier must not read it as saturation");
        assertEquals(0.05, law.update(load(7000, 60, 480)), EPS);         // no raise right after a surge
        assertTrue(law.loadHeld());
        for (long k = 8; k <= 12; k++) {                                 // the load drops back: given back after 3
            law.update(load(k * 1000L, 40, 240));
        }
        assertTrue(law.duty() > 0.05, "raised after the load dropped: " + law.duty());
        assertFalse(law.loadHeld(), "a raise ends the hold");
    }

    @Test
    void poissonNoiseAndSmallCountsAreNoSurge() {
        AdaptiveDutyLaw law = law();
        RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(7);
        for (int k = 1; k <= 2000; k++) {
            law.update(load(k * 500L, 60, poisson(rnd, 120)));              // 240 req/s in 0.5-s windows
            assertFalse(law.surged(), "false surge at window " + k);
        }
        AdaptiveDutyLaw small = law();
        small.update(load(1000, 60, 10));
        small.update(load(2000, 60, 10));
        small.update(load(3000, 60, 16));                                 // +60% but under 4 sigma of 10
        assertFalse(small.surged());
    }

    /**
     * Closed loop on a noisy plant with the window p99 driven by the duty of the previous period and by the load:
     * r = (0.35 + 0.3 d) λ/λ0 + U(−0.05, 0.05). The load doubles at period 30 for 60 periods; at full duty the doubled
     * load is 30% over the SLO, and the duty that keeps r at r_ref = 0.75 is 0.083. Only the window of the step may
     * violate; after the surge the law holds the floor (no probe into the burst for maxWait = 60 periods, longer than
     * this burst); afterwards full duty returns within raiseAfter + 1/raiseStep periods.
     */
    @Test
    void burstStepResponseOnANoisyPlant() {
        AdaptiveDutyLaw law = law();
        RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(11);
        double d = law.duty();
        int violations = 0;
        int firstViolation = -1;
        double burstMax = 0;
        int fullAgain = -1;
        for (int k = 1; k <= 150; k++) {
            double scale = k > 30 && k <= 90 ? 2 : 1;
            double r = plant(d, scale, rnd);
            if (r > 1) {
                violations++;
                firstViolation = firstViolation < 0 ? k : firstViolation;
            }
            d = law.update(load(k * 1000L, 100 * r, poisson(rnd, 240 * scale)));
            if (k == 31) {
                assertEquals(0.05, d, EPS, "feed-forward: the floor in the period of the step");
            }
            if (k > 31 && k <= 90) {
                burstMax = Math.max(burstMax, d);
            }
            if (k > 90 && d == 1.0 && fullAgain < 0) {
                fullAgain = k;
            }
        }
        assertEquals(1, violations, "violations");
        assertEquals(31, firstViolation, "only the window of the step violates");
        assertEquals(0.05, burstMax, EPS, "no probe into a burst shorter than maxWait");
        assertTrue(fullAgain > 90 && fullAgain <= 90 + 3 + 10, "full duty again after the burst at " + fullAgain);
        assertEquals(1.0, d, EPS);
    }

    /**
     * The same plant, but the load rises by 60% for good: after maxWait periods at the floor the law probes again and
     * gives training the room the new load leaves (r_ref is reached at d = 0.396), without walking into the SLO.
     */
    @Test
    void aLastingLoadRiseIsProbedAfterMaxWait() {
        AdaptiveDutyLaw law = law();
        RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(12);
        double d = law.duty();
        int violations = 0;
        double lateMax = 0;
        int firstRaise = -1;
        for (int k = 1; k <= 200; k++) {
            double scale = k > 30 ? 1.6 : 1;
            double r = plant(d, scale, rnd);
            violations += r > 1 ? 1 : 0;
            d = law.update(load(k * 1000L, 100 * r, poisson(rnd, 240 * scale)));
            if (k > 31 && d > 0.05 + EPS && firstRaise < 0) {
                firstRaise = k;
            }
            if (k > 150) {
                lateMax = Math.max(lateMax, d);
            }
        }
        assertTrue(firstRaise >= 31 + 60, "held at the floor for maxWait periods after the surge: " + firstRaise);
        assertTrue(lateMax > 0.2 && lateMax < 0.6, "training given duty back at the new load: " + lateMax);
        assertTrue(violations <= 3, "violations: " + violations);
    }

    /** The noisy plant of the two closed-loop tests: r = (0.35 + 0.3 d) λ/λ0 + U(−0.05, 0.05). */
    private static double plant(double duty, double loadScale, RandomGenerator rnd) {
        return (0.35 + 0.3 * duty) * loadScale + (rnd.nextDouble() - 0.5) * 0.1;
    }

    @Test
    void noiseFreeTuningIsTheSymmetricDeadbeatLaw() {
        AdaptiveDutyLaw law = new AdaptiveDutyLaw(AdaptiveDutyLaw.Config.noiseFree());
        assertEquals(0.8, law.update(load(1000, 110, 100)), EPS);      // 1 + (0.9 - 1.1)
        double b = law.gain();
        double up = law.update(load(2000, 50, 1000));                  // room: given back at once, in full; 10x load: no surge
        assertTrue(up > 0.8 + 0.1, "given back in one step: " + up);
        assertFalse(law.surged());
        assertTrue(b > 0);
    }

    @Test
    void rejectsBadTuning() {
        AdaptiveDutyLaw.Config d = AdaptiveDutyLaw.Config.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withFloor(1.0));
        assertThrows(IllegalArgumentException.class, () -> d.withInitialDuty(0.01));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveDutyLaw.Config(0.1, 0.05, 1, 5, 0.25, 4, 0.95, 0.1, 3, 24, 0.2, 4));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveDutyLaw.Config(0.1, 0.05, 1, 1, 0.25, 4, 1.5, 0.1, 3, 24, 0.2, 4));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveDutyLaw.Config(0.1, 0.05, 1, 1, 0.25, 4, 0.95, 0, 3, 24, 0.2, 4));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveDutyLaw.Config(0.1, 0.05, 1, 1, 0.25, 4, 0.95, 0.1, 0, 24, 0.2, 4));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveDutyLaw.Config(0.1, 0.05, 1, 1, 0.25, 4, 0.95, 0.1, 3, 2, 0.2, 4));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveDutyLaw.Config(0.1, 0.05, 1, 1, 0.25, 4, 0.95, 0.1, 3, 24, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveDutyLaw.Config(0.1, 0.05, 1, 1, 0.25, 4, 0.95, 0.1, 3, 24, 0.2, -1));
    }

    /** Knuth's Poisson sampler via a normal approximation for large means (exact enough for noise tests). */
    static long poisson(RandomGenerator rnd, double mean) {
        return Math.max(0, Math.round(mean + Math.sqrt(mean) * rnd.nextGaussian()));
    }
}
