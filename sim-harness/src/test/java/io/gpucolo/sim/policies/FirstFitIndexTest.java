package io.gpucolo.sim.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FirstFitIndexTest {
    @Test
    void aBlockedGpuIsSkippedButStaysOpenUntilItCloses() {
        FirstFitIndex pool = new FirstFitIndex(4, 1000);
        pool.take(0, 30, 100);
        pool.take(1, 30, 100);
        assertEquals(0, pool.findOpen(50, 100, 0));
        pool.block(0, true);
        assertEquals(1, pool.findOpen(50, 100, 0), "slot 0 is hidden from the search");
        assertEquals(2, pool.lowestClosed(), "but it is not closed");
        assertTrue(pool.isOpen(0));
        pool.take(0, 10, 100);                       // a task placed on it directly (admission) keeps it hidden
        assertEquals(1, pool.findOpen(10, 100, 0));
        pool.block(0, false);
        assertEquals(0, pool.findOpen(10, 100, 0));
        pool.block(1, true);
        pool.give(1, 30, 100, true);                 // closing clears the block: reopened, it is offered again
        pool.take(1, 10, 100);
        pool.block(0, true);
        assertEquals(1, pool.findOpen(10, 100, 0));
        pool.grow();                                 // growing keeps blocks
        assertEquals(1, pool.findOpen(10, 100, 0));
        assertEquals(2, pool.lowestClosed());
    }
}
