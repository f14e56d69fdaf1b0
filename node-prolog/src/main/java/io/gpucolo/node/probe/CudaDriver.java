package io.gpucolo.node.probe;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks, without touching JCuda, that the NVIDIA driver library {@code libcuda.so.1} exists and loads. Every class
 * that uses {@code jcuda.*} is loaded only after this check passes, so a machine without a GPU or driver gets one
 * clear line instead of an {@link UnsatisfiedLinkError} stack trace.
 */
final class CudaDriver {
    private static final List<String> DIRS = List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib",
            "/usr/local/nvidia/lib64", "/usr/local/nvidia/lib",
            "/usr/local/cuda/lib64", "/usr/local/cuda/compat", "/usr/lib/wsl/lib", "/lib/x86_64-linux-gnu", "/lib64");

    private CudaDriver() {
    }

    /** Empty when the driver loads; otherwise why not, in one sentence. */
    static Optional<String> unavailable(Map<String, String> env) {
        List<String> found = candidates(env);
        if (found.isEmpty()) {
            return Optional.of("no NVIDIA driver: libcuda.so.1 not found (searched LD_LIBRARY_PATH and "
                    + String.join(", ", DIRS) + ")");
        }
        String last = "";
        for (String path : found) {
            try {
                System.load(path);
                return Optional.empty();
            } catch (UnsatisfiedLinkError e) {
                last = path + ": " + e.getMessage();
            }
        }
        return Optional.of("the NVIDIA driver library does not load (" + last + ")");
    }

    private static List<String> candidates(Map<String, String> env) {
        Set<String> dirs = new LinkedHashSet<>();
        String ld = env.get("LD_LIBRARY_PATH");
        if (ld != null) {
            for (String d : ld.split(":")) {
                if (!d.isBlank()) {
                    dirs.add(d);
                }
            }
        }
        dirs.addAll(DIRS);
        List<String> out = new ArrayList<>();
        for (String d : dirs) {
            File f = new File(d, "libcuda.so.1");
            if (f.exists()) {
                out.add(f.getAbsolutePath());
            }
        }
        return out;
    }
}
