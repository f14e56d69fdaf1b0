package io.gpucolo.admission.platform;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.List;
import java.util.logging.Logger;

/**
 * Binds a class's {@code native} methods to libc through JNA's direct mapping, on the platforms gpucolo's native
 * calls are written for: Linux on x86-64 and arm64 (their signal numbers and scheduling constants).
 */
public final class Jna {
    private static final Logger LOG = Logger.getLogger(Jna.class.getName());

    private Jna() {
    }

    /**
     * Registers {@code c}'s native methods against libc. False (and one warning naming {@code without}, what the
     * caller does instead) on another platform or when JNA's native stub cannot be loaded (e.g. a {@code noexec}
     * temporary directory).
     */
    public static boolean registerLibc(Class<?> c, String without) {
        String arch = System.getProperty("os.arch", "");
        if (!"Linux".equals(System.getProperty("os.name")) || !List.of("amd64", "x86_64", "aarch64").contains(arch)) {
            return false;
        }
        try {
            Native.register(c, Platform.C_LIBRARY_NAME);
            return true;
        } catch (LinkageError | RuntimeException e) {
            LOG.warning("libc through JNA unavailable for " + c.getSimpleName() + " (" + e + "); " + without);
            return false;
        }
    }
}
