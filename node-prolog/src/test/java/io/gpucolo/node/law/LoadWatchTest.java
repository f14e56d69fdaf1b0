package io.gpucolo.node.law;

import static io.gpucolo.node.law.Samples.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoadWatchTest {
    @Test
    void rateComesFromCountsOverTheSamplesOwnWindowLength() {
        LoadWatch w = new LoadWatch(0.25);
        assertEquals(LoadWatch.Change.STEADY, w.observe(load(0, 50, 0), 0.2, 4));         // first window: no length yet
        assertEquals(LoadWatch.Change.STEADY, w.observe(load(500, 50, 120), 0.2, 4));     // 120 in 0.5 s: 240 req/s
        assertEquals(240, w.rate("s"), 1e-9);
        assertEquals(LoadWatch.Change.STEADY, w.observe(load(1000, 50, 140), 0.2, 4));    // +17%: not a surge
        assertEquals(240 + 0.25 * (280 - 240), w.rate("s"), 1e-9);
        assertEquals(LoadWatch.Change.SURGE, w.observe(load(1500, 50, 200), 0.2, 4));     // +63%, 6.6 sigma
        assertTrue(w.surged());
    }

    @Test
    void aFallOfTheLoadIsADrop() {
        LoadWatch w = new LoadWatch(1);
        w.observe(load(0, 50, 0), 0.2, 4);
        w.observe(load(1000, 50, 480), 0.2, 4);
        assertEquals(LoadWatch.Change.STEADY, w.observe(load(2000, 50, 440), 0.2, 4));
        assertEquals(LoadWatch.Change.DROP, w.observe(load(3000, 50, 240), 0.2, 4));
        assertFalse(w.surged());
    }

    @Test
    void idleBaselineWindowDoesNotStartTheRateAtZero() {
        LoadWatch w = new LoadWatch(0.25);
        w.observe(load(0, 50, 0), 0.2, 4);
        w.observe(LatencySample.of(Instant.EPOCH.plusMillis(1000), ServiceLatency.idle("s", 100)), 0.2, 4);
        assertEquals(Double.NaN, w.rate("s"));
        assertEquals(LoadWatch.Change.STEADY, w.observe(load(2000, 50, 240), 0.2, 4));    // first traffic sets the rate, no false surge
        assertEquals(240, w.rate("s"), 1e-9);
    }

    @Test
    void aStalledLoopResetsInsteadOfReadingAGapAsASurge() {
        LoadWatch w = new LoadWatch(0.25);
        w.observe(load(0, 50, 100), 0.2, 4);
        w.observe(load(1000, 50, 100), 0.2, 4);
        assertEquals(LoadWatch.Change.STEADY, w.observe(load(20_000, 50, 2000), 0.2, 4)); // a 19 s gap: rates reset
        assertEquals(Double.NaN, w.rate("s"));
    }

    @Test
    void rejectsBadSmoothing() {
        assertThrows(IllegalArgumentException.class, () -> new LoadWatch(0));
        assertThrows(IllegalArgumentException.class, () -> new LoadWatch(1.5));
    }
}
