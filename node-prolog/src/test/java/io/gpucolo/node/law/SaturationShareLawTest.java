package io.gpucolo.node.law;

import static io.gpucolo.node.law.Samples.p99;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SaturationShareLawTest {
    private static SaturationShareLaw law(int persist, double kp) {
        return new SaturationShareLaw(new SaturationShareLaw.Config(Duration.ofSeconds(1), Duration.ofSeconds(25),
                persist, kp, 2, 0.1, 0.3, 0.05, 5, 100, 50));
    }

    /** Feeds one sample a second from t=0 to t=last with the given duty and p99 (SLO 100); returns the final share. */
    private static int run(SaturationShareLaw law, int last, double duty, double p99) {
        int share = law.share();
        for (int t = 0; t <= last; t++) {
            share = law.update(p99(t, p99), duty);
        }
        return share;
    }

    @ParameterizedTest(name = "duty {0}, p99 {1} -> share {2}")
    @CsvSource({
            "0.05, 120, 20",   // saturated, slack -0.2: 50 + 100 (-0.2 - 0.1) = 20
            "1.0, 50, 90",     // room, slack 0.5: 50 + 100 (0.5 - 0.1) = 90
            "1.0, 80, 50",     // full duty but slack 0.2 < room 0.3: inner tier in control
            "0.5, 150, 50",    // inner tier mid-range: outer waits
            "0.05, 95, 45",    // saturated, slack 0.05: Δ = 100 (0.05 - 0.1) = -5
    })
    void decidesAtTheOuterPeriod(double duty, double p99, int expected) {
        int share = run(law(3, 100), 25, duty, p99);
        assertEquals(expected, share);
    }

    /** Floor 0 (noded's): training paused at saturation; halve the share when it starves with room, else hold. */
    @ParameterizedTest(name = "paused training, p99 {0} -> share {1}")
    @CsvSource({
            "50, 25",      // slack 0.5 >= 0.1 with training paused: every probe hurt, halve 50 -> 25
            "95, 50",      // slack 0.05 < 0.1 with training paused: not the training's doing, no restart
            "150, 50",     // over the SLO with training paused: the same
    })
    void floorZeroHalvesTheShareOnlyWhenTrainingStarvesWithRoom(double p99, int expected) {
        SaturationShareLaw law = new SaturationShareLaw(new SaturationShareLaw.Config(Duration.ofSeconds(1),
                Duration.ofSeconds(25), 3, 100, 2, 0.1, 0.3, 0, 5, 100, 50));
        assertEquals(expected, run(law, 25, 0, p99));
    }

    /** Training held at the floor by a load surge (no probe failed): not saturation, no restart in the burst. */
    @Test
    void aDutyHeldForALoadSurgeIsNotSaturation() {
        SaturationShareLaw law = new SaturationShareLaw(new SaturationShareLaw.Config(Duration.ofSeconds(1),
                Duration.ofSeconds(25), 3, 100, 2, 0.1, 0.3, 0, 5, 100, 50));
        for (int t = 0; t <= 60; t++) {
            assertEquals(50, law.update(p99(t, 50), 0, true), "held at t=" + t);
        }
        for (int t = 61; t <= 63; t++) {      // the hold ends, the probes fail: the same slack is now saturation
            law.update(p99(t, 50), 0, false);
        }
        assertEquals(25, law.share());
    }

    @Test
    void waitsForTheFullPeriod() {
        assertEquals(50, run(law(3, 100), 24, 0.05, 120));
    }

    @Test
    void deadBandSuppressesSmallChanges() {
        // room, slack 0.3: Δ = 5 (0.3 - 0.1) = 1 point < 2
        assertEquals(50, run(law(3, 5), 25, 1.0, 70));
    }

    @Test
    void needsALongEnoughRun() {
        assertEquals(50, run(law(30, 100), 25, 0.05, 120));
    }

    @Test
    void clampsToTheShareBounds() {
        assertEquals(5, run(law(3, 500), 25, 0.05, 200));
    }

    @Test
    void outerPeriodMustSpan25InnerPeriods() {
        assertThrows(IllegalArgumentException.class, () -> new SaturationShareLaw.Config(Duration.ofSeconds(1),
                Duration.ofSeconds(24), 3, 100, 2, 0.1, 0.3, 0.05, 5, 100, 50));
    }
}
