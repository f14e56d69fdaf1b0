package io.gpucolo.node.actuator;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the calling thread in the real-time class {@code SCHED_FIFO} at the lowest real-time priority (1), through
 * {@code sched_setscheduler(2)} on the thread itself (JNA). For the few threads whose wake-up is an actuation: the lease
 * timer (a lease-end resume) and noded's control loop (a stop). Such a thread preempts every ordinary process at once
 * when it wakes, so a resume does not wait for a CPU behind the jobs or the inference servers it protects; it only
 * calls {@code kill(2)} or sleeps, and the kernel's real-time throttling (95% of each second by default) bounds it
 * anyway. Needs root (CAP_SYS_NICE) on Linux; elsewhere, or without the right, the thread keeps its priority (noded's
 * {@code Nice=-10}) and {@link #raiseCurrentThread()} says false. Stateless, thread-safe.
 */
public final class Realtime {
    private static final Logger LOG = LoggerFactory.getLogger(Realtime.class);
    private static final int SCHED_FIFO = 1;
    private static final boolean LINKED = link();

    private Realtime() {
    }

    private static boolean link() {
        if (!"Linux".equals(System.getProperty("os.name"))) {
            return false;
        }
        try {
            Native.register(Realtime.class, Platform.C_LIBRARY_NAME);
            return true;
        } catch (LinkageError | RuntimeException e) {
            LOG.warn("sched_setscheduler through JNA unavailable ({}); actuation threads keep their priority", e.toString());
            return false;
        }
    }

    /** {@code param} is a {@code struct sched_param}: one int, the priority. */
    private static native int sched_setscheduler(int pid, int policy, int[] param);

    /** Puts the calling thread in SCHED_FIFO, priority 1; true when it took. */
    public static boolean raiseCurrentThread() {
        return LINKED && sched_setscheduler(0, SCHED_FIFO, new int[] {1}) == 0;
    }

    /** A thread factory body: raises the new thread, then runs {@code body}. */
    public static Runnable raised(Runnable body) {
        return () -> {
            raiseCurrentThread();
            body.run();
        };
    }
}
