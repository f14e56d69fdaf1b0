package io.gpucolo.admission.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** SCHED_FIFO on a real thread, read back from the kernel; a thread that is not raised stays ordinary. */
class RealtimeTest {
    @Test
    void raisesOnlyTheThreadThatAsks() throws Exception {
        AtomicInteger before = new AtomicInteger(-2);
        AtomicInteger after = new AtomicInteger(-2);
        AtomicInteger took = new AtomicInteger(-2);
        Thread t = new Thread(Realtime.raised(() -> after.set(Realtime.currentPolicy())));
        Thread plain = new Thread(() -> before.set(Realtime.currentPolicy()));
        plain.start();
        plain.join();
        t.start();
        t.join();
        Thread probe = new Thread(() -> took.set(Realtime.raiseCurrentThread() ? 1 : 0));
        probe.start();
        probe.join();
        assertEquals(0, before.get(), "an ordinary thread reads policy 0 (SCHED_OTHER)");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            assertEquals(1, took.get(), "root may raise a thread");
            assertEquals(1, after.get(), "the raised thread runs SCHED_FIFO");
        } else {
            assertTrue(after.get() == 0 || after.get() == 1, "policy read back: " + after.get());
        }
        assertEquals(0, Realtime.currentPolicy(), "the test's own thread was never raised");
    }
}
