package io.gpucolo.node.actuator;

import io.gpucolo.admission.platform.Jna;
import java.util.List;

/**
 * The libc call the actuators need, through JNA's direct mapping, from the calling thread: {@code kill(2)} (Java
 * itself cannot send SIGSTOP or SIGCONT: a system call per signal, no process start and no round trip to a coprocess,
 * so a stop or a resume never waits for another process to get a CPU). Linux on x86-64 and arm64 only (where SIGCONT
 * is 18 and SIGSTOP 19; {@link Jna}); elsewhere, or when JNA's native stub cannot be loaded, {@link #available()} is
 * false and {@link Signaller} uses its coprocess. Stateless, thread-safe.
 */
final class Libc {
    private static final int SIGCONT = 18;
    private static final int SIGSTOP = 19;
    private static final boolean AVAILABLE = Jna.registerLibc(Libc.class, "signals go through a coprocess");

    private Libc() {
    }

    private static native int kill(int pid, int sig);

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
