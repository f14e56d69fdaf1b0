package io.gpucolo.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventQueueTest {
    @Test
    void popsByTimeThenKindThenId() {
        EventQueue q = new EventQueue();
        q.push(10, EventQueue.Kind.CONTROL, 1);
        q.push(10, EventQueue.Kind.END, 7);
        q.push(5, EventQueue.Kind.CONTROL, 3);
        q.push(10, EventQueue.Kind.END, 2);
        q.push(10, EventQueue.Kind.LOAD, 0);
        long[][] want = {{5, 2, 3}, {10, 0, 2}, {10, 0, 7}, {10, 1, 0}, {10, 2, 1}};
        for (long[] w : want) {
            assertEquals(w[0], q.peekTime());
            assertEquals(EventQueue.Kind.values()[(int) w[1]], q.peekKind());
            assertEquals(w[2], q.peekId());
            q.pop();
        }
        assertTrue(q.isEmpty());
    }

    @Test
    void manyRandomEventsComeOutSorted() {
        EventQueue q = new EventQueue();
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 100_000; i++) {
            q.push(r.nextLong(1_000_000), EventQueue.Kind.END, i);
        }
        long last = -1;
        while (!q.isEmpty()) {
            assertTrue(q.peekTime() >= last);
            last = q.peekTime();
            q.pop();
        }
    }

    @Test
    void refusesNegativeTimes() {
        assertThrows(IllegalArgumentException.class, () -> new EventQueue().push(-1, EventQueue.Kind.END, 0));
    }
}
