package io.gpucolo.admission.platform;

/**
 * Puts the calling thread in the real-time class {@code SCHED_FIFO} at the lowest real-time priority (1), through
 * {@code sched_setscheduler(2)} on the thread itself (JNA's direct mapping of libc). For a thread whose wake-up is
 * what someone waits for: noded's lease timer (a lease-end resume) and admitd's hook thread (slurmctld waits for its
 * answer under its own locks). Such a thread preempts every ordinary process when it wakes, so it does not wait for a
 * CPU behind the jobs, the inference servers or slurmctld's other threads; it must only ever block or do bounded
 * work, and the kernel's real-time throttling (95% of each second by default, {@code kernel.sched_rt_runtime_us})
 * bounds it anyway. Needs root (CAP_SYS_NICE) or an {@code RLIMIT_RTPRIO} of at least 1; elsewhere (not Linux on
 * x86-64 or arm64, JNA's stub not loadable, no right) the thread keeps its priority and {@link #raiseCurrentThread()}
 * says false. Stateless, thread-safe.
 */
public final class Realtime {
    private static final int SCHED_FIFO = 1;
    private static final boolean AVAILABLE = Jna.registerLibc(Realtime.class, "threads keep their priority");

    private Realtime() {
    }

    /** {@code param} is a {@code struct sched_param}: one int, the priority. */
    private static native int sched_setscheduler(int pid, int policy, int[] param);

    /** Puts the calling thread in SCHED_FIFO, priority 1; true when it took. */
    public static boolean raiseCurrentThread() {
        return AVAILABLE && sched_setscheduler(0, SCHED_FIFO, new int[] {1}) == 0;
    }

    /** A thread body that raises its thread (see {@link #raiseCurrentThread()}), then runs {@code body}. */
    public static Runnable raised(Runnable body) {
        return () -> {
            raiseCurrentThread();
            body.run();
        };
    }

    /** The calling thread's kernel id (from {@code /proc/thread-self}), or -1 when unreadable. */
    public static int currentThreadId() {
        try {
            String link = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/thread-self")).toString();
            return Integer.parseInt(link.substring(link.lastIndexOf('/') + 1));
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The calling thread's scheduling class as {@code /proc/thread-self/stat} reports it (field 41, the policy: 0
     * ordinary, 1 FIFO), or -1 when unreadable. For tests and {@code status}.
     */
    public static int currentPolicy() {
        return statField(41).orElse(-1);
    }

    /** The calling thread's nice value ({@code /proc/thread-self/stat} field 19), empty when unreadable. */
    public static java.util.OptionalInt currentNice() {
        return statField(19);
    }

    private static java.util.OptionalInt statField(int field) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return java.util.OptionalInt.of(Integer.parseInt(f[field - 3]));
        } catch (java.io.IOException | RuntimeException e) {
            return java.util.OptionalInt.empty();
        }
    }
}
