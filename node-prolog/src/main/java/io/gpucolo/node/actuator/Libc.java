package io.gpucolo.node.actuator;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two libc calls the actuators need, through JNA's direct mapping, from the calling thread: {@code kill(2)} (Java
 * itself cannot send SIGSTOP or SIGCONT: a system call per signal, no process start and no round trip to a coprocess,
 * so a stop or a resume never waits for another process to get a CPU) and {@code sched_setscheduler(2)} for
 * {@link Realtime}. Linux on x86-64 and arm64 only (where SIGCONT is 18 and SIGSTOP 19); elsewhere, or when JNA's
 * native stub cannot be loaded (e.g. a {@code noexec} temporary directory), {@link #available()} is false and
 * {@link Signaller} uses its coprocess. Stateless, thread-safe.
 */
final class Libc {
    private static final Logger LOG = LoggerFactory.getLogger(Libc.class);
    private static final int SIGCONT = 18;
    private static final int SIGSTOP = 19;
    private static final int SCHED_FIFO = 1;
    private static final boolean AVAILABLE = load();

    private Libc() {
    }

    private static boolean load() {
        String arch = System.getProperty("os.arch", "");
        if (!"Linux".equals(System.getProperty("os.name")) || !List.of("amd64", "x86_64", "aarch64").contains(arch)) {
            return false;
        }
        try {
            Native.register(Libc.class, Platform.C_LIBRARY_NAME);
            return true;
        } catch (LinkageError | RuntimeException e) {
            LOG.warn("libc through JNA unavailable ({}); signals go through a coprocess, threads keep their priority",
                    e.toString());
            return false;
        }
    }

    private static native int kill(int pid, int sig);

    /** {@code param} is a {@code struct sched_param}: one int, the priority. */
    private static native int sched_setscheduler(int pid, int policy, int[] param);

    /** Puts the calling thread in SCHED_FIFO at {@code priority}; true when it took (root, or CAP_SYS_NICE). */
    static boolean fifo(int priority) {
        return AVAILABLE && sched_setscheduler(0, SCHED_FIFO, new int[] {priority}) == 0;
    }

    /** Whether signals can be sent from this JVM directly. */
    static boolean available() {
        return AVAILABLE;
    }

    /**
     * Sends SIGSTOP ({@code stop}) or SIGCONT to every pid above 1; a process already gone is skipped. Returns how many
     * were signalled.
     */
    static int signal(List<Long> pids, boolean stop) {
        int n = 0;
        for (long p : pids) {
            if (p > 1 && p <= Integer.MAX_VALUE && kill((int) p, stop ? SIGSTOP : SIGCONT) == 0) {
                n++;
            }
        }
        return n;
    }
}
