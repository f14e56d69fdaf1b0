package io.gpucolo.admission.platform;

/**
 * Lowers the calling thread to nice 10 ({@code setpriority(2)} on the thread's own id, which Linux applies to that
 * thread alone), for a daemon's background work: admitd's periodic jobs (reconcile, re-pack, drain) and its log
 * writer. When such a thread and the one a waiting caller needs (slurmctld's, woken by admitd's reply) are runnable
 * at once, the scheduler gives the latter the CPU first. Processes such a thread starts (squeue, scontrol) inherit
 * the nice value. Where it cannot be set (not Linux, JNA unavailable) the thread keeps its priority and
 * {@link #lowerCurrentThread()} says false. Stateless, thread-safe.
 */
public final class Background {
    /** The nice value of background threads. */
    public static final int NICE = 10;
    private static final int PRIO_PROCESS = 0;
    private static final boolean AVAILABLE =
            Jna.registerLibc(Background.class, "background threads keep their priority");
    private static final ThreadLocal<Boolean> LOWERED = ThreadLocal.withInitial(() -> false);

    private Background() {
    }

    private static native int setpriority(int which, int who, int prio);

    /** Sets the calling thread's nice value to {@link #NICE} (once per thread); true when it took. */
    public static boolean lowerCurrentThread() {
        if (LOWERED.get()) {
            return true;
        }
        int tid = Realtime.currentThreadId();
        boolean ok = AVAILABLE && tid > 0 && setpriority(PRIO_PROCESS, tid, NICE) == 0;
        LOWERED.set(ok);
        return ok;
    }
}
