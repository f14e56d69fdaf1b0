package io.gpucolo.admission.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** nice 10 on a real thread, read back from the kernel; the other threads of the process keep theirs. */
class BackgroundTest {
    @Test
    void lowersOnlyTheCallingThread() throws Exception {
        OptionalInt mine = Realtime.currentNice();
        AtomicReference<OptionalInt> lowered = new AtomicReference<>();
        AtomicReference<Boolean> took = new AtomicReference<>();
        Thread t = new Thread(() -> {
            took.set(Background.lowerCurrentThread());
            lowered.set(Realtime.currentNice());
            Background.lowerCurrentThread();                       // once per thread: a second call changes nothing
        });
        t.start();
        t.join();
        assertTrue(took.get(), "setpriority on the thread's own id is allowed to anyone (raising a nice value)");
        assertEquals(OptionalInt.of(Background.NICE), lowered.get());
        assertEquals(mine, Realtime.currentNice(), "the test's thread keeps its nice value");
        assertTrue(Realtime.currentThreadId() > 0);
    }
}
