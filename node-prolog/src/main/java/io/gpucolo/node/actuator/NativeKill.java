package io.gpucolo.node.actuator;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kill(2)} called from the calling thread, through JNA's direct mapping of libc (Java itself cannot send
 * SIGSTOP or SIGCONT): a system call per signal, no process start and no round trip to a coprocess, so a stop or a
 * resume costs microseconds and never waits for another process to get a CPU. Linux on x86-64 and arm64 only (where
 * SIGCONT is 18 and SIGSTOP 19); elsewhere, or when JNA's native stub cannot be loaded (e.g. a {@code noexec}
 * temporary directory), {@link #available()} is false and {@link Signaller} uses its coprocess. Stateless, thread-safe.
 */
final class NativeKill {
    private static final Logger LOG = LoggerFactory.getLogger(NativeKill.class);
    private static final int SIGCONT = 18;
    private static final int SIGSTOP = 19;
    private static final boolean AVAILABLE = load();

    private NativeKill() {
    }

    private static boolean load() {
        String arch = System.getProperty("os.arch", "");
        if (!"Linux".equals(System.getProperty("os.name")) || !List.of("amd64", "x86_64", "aarch64").contains(arch)) {
            return false;
        }
        try {
            Native.register(NativeKill.class, Platform.C_LIBRARY_NAME);
            return true;
        } catch (LinkageError | RuntimeException e) {
            LOG.warn("kill(2) through JNA unavailable ({}); signals go through a coprocess", e.toString());
            return false;
        }
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
