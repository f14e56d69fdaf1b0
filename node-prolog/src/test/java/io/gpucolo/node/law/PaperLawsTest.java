package io.gpucolo.node.law;

import static io.gpucolo.node.law.Samples.mean;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PaperLawsTest {
    private static PaperInnerLaw inner() {
        return new PaperInnerLaw(new PaperInnerLaw.Config(10, -2, 0.5, 1, 0));
    }

    @ParameterizedTest(name = "mean {0} ms -> sleep {1} s, duty {2}")
    @CsvSource({
            "12, 1.0, 0.3333333333333333",   // s = 0 + (10 - 12) / -2 = 1; duty 0.5 / 1.5
            "11, 0.5, 0.5",
            "10, 0.0, 1.0",
            "8, 0.0, 1.0",                   // -1 clamped to 0
            "20, 1.0, 0.3333333333333333",   // 5 clamped to sMax 1
    })
    void innerStep(double meanMs, double sleep, double duty) {
        PaperInnerLaw law = inner();
        assertEquals(duty, law.update(mean(1, meanMs)), 1e-12);
        assertEquals(sleep, law.sleepSeconds(), 1e-12);
    }

    @Test
    void windowedInnerRunsEveryFourSecondsOnTheMergedMean() {
        PaperInnerLaw law = inner();
        WindowedInnerLaw windowed = new WindowedInnerLaw(law, Duration.ofSeconds(4), Instant.EPOCH);
        assertEquals(1.0, windowed.update(mean(1, 14)), 0);
        assertEquals(1.0, windowed.update(mean(2, 10)), 0);
        assertEquals(1.0, windowed.update(mean(3, 10)), 0);
        // merged mean (14 + 10 + 10 + 10) / 4 = 11 -> s = 0.5
        assertEquals(0.5, windowed.update(mean(4, 10)), 1e-12);
        assertEquals(0.5, law.sleepSeconds(), 1e-12);
    }

    @ParameterizedTest(name = "mean {0} ms over the period -> share {1}")
    @CsvSource({
            "12, 46",     // Δ = (10 - 12) / 0.5 = -4
            "10.5, 50",   // Δ = -1, inside the 2-point dead-band
            "9, 50",      // Δ = +2: not above the 2-point dead-band
            "5, 60",      // Δ = +10
            "100, 1",     // clamped
    })
    void outerStepAtItsPeriod(double meanMs, int expected) {
        PaperOuterLaw law = new PaperOuterLaw(new PaperOuterLaw.Config(10, 0.5, Duration.ofSeconds(100), 2, 50));
        int share = 0;
        for (int t = 0; t <= 100; t++) {
            share = law.update(mean(t, meanMs), 1.0);
            if (t < 100) {
                assertEquals(50, share);
            }
        }
        assertEquals(expected, share);
    }
}
