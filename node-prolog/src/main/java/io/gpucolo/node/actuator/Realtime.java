package io.gpucolo.node.actuator;

/**
 * Puts the calling thread in the real-time class {@code SCHED_FIFO} at the lowest real-time priority (1), through
 * {@code sched_setscheduler(2)} on the thread itself ({@link Libc}). For the thread whose wake-up is an actuation:
 * the lease timer (a lease-end resume). Such a thread preempts every ordinary process when it wakes, so a resume does
 * not wait for a CPU behind the jobs or the inference servers it protects; it only calls {@code kill(2)} or sleeps,
 * and the kernel's real-time throttling (95% of each second by default) bounds it anyway. Needs root (CAP_SYS_NICE)
 * on Linux; elsewhere, or without the right, the thread keeps its priority (noded's {@code Nice=-10}) and
 * {@link #raiseCurrentThread()} says false. Stateless, thread-safe.
 */
public final class Realtime {
    private Realtime() {
    }

    /** Puts the calling thread in SCHED_FIFO, priority 1; true when it took. */
    public static boolean raiseCurrentThread() {
        return Libc.fifo(1);
    }

    /** A thread factory body: raises the new thread, then runs {@code body}. */
    public static Runnable raised(Runnable body) {
        return () -> {
            raiseCurrentThread();
            body.run();
        };
    }
}
