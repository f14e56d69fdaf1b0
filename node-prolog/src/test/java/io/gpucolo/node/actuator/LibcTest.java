package io.gpucolo.node.actuator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** kill(2) through JNA on a real process: stops it, resumes it, and skips a pid that is gone. */
class LibcTest {
    @Test
    void stopsAndResumesARealProcessFromThisThread() throws Exception {
        assertTrue(Libc.available(), "JNA's kill(2) should load on Linux " + System.getProperty("os.arch"));
        Process p = new ProcessBuilder("/bin/sleep", "30").start();
        try {
            assertEquals(1, Libc.signal(List.of(p.pid()), true));
            assertTrue(awaitState(p.pid(), 'T'), "stopped: state " + Pauser.procState(p.pid()));
            assertEquals(1, Libc.signal(List.of(p.pid()), false));
            assertTrue(awaitState(p.pid(), 'S'), "running again: state " + Pauser.procState(p.pid()));
        } finally {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        assertEquals(0, Libc.signal(List.of(p.pid()), false), "a reaped pid is not signalled");
        assertEquals(0, Libc.signal(List.of(1L, 0L, -5L), true), "never pid 1, 0 or negative (process groups)");
    }

    private static boolean awaitState(long pid, char state) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            if (Pauser.procState(pid) == state) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }
}
