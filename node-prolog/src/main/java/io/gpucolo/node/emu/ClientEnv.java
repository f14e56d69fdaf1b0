package io.gpucolo.node.emu;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a stand-in process reads from its environment, as a CUDA program would:
 * <ul>
 *   <li>{@code GPUCOLO_EMU_GPU_SOCKET}: the emulated GPU's socket (default {@value #DEFAULT_SOCKET});</li>
 *   <li>{@code CUDA_VISIBLE_DEVICES}: the first entry is the GPU index (default 0);</li>
 *   <li>{@code CUDA_MPS_ACTIVE_THREAD_PERCENTAGE}: the client's MPS cap, 1..100 (default 100);</li>
 *   <li>{@code CUDA_MPS_PINNED_DEVICE_MEM_LIMIT}: {@code 0=8G,1=4096M} or a bare size; the limit for the chosen
 *   GPU caps the memory the client may declare;</li>
 *   <li>{@code CUDA_MPS_PIPE_DIRECTORY}: where the MPS control daemon is (default {@code /tmp/nvidia-mps}).</li>
 * </ul>
 */
record ClientEnv(Path gpuSocket, int gpuIndex, int capPercent, long memLimitMiB, Path pipeDirectory,
                 boolean pipeDirectoryExplicit) {
    static final String DEFAULT_SOCKET = "/run/gpucolo/emu/gpu.sock";
    private static final Pattern LIMIT = Pattern.compile("(?:(\\d+)=)?(\\d+)([KMGT]?)B?", Pattern.CASE_INSENSITIVE);

    ClientEnv {
        Objects.requireNonNull(gpuSocket, "gpuSocket");
        Objects.requireNonNull(pipeDirectory, "pipeDirectory");
    }

    /** Reads the environment; a garbled variable is an IllegalArgumentException naming it. */
    static ClientEnv from(Map<String, String> env) {
        Path socket = Path.of(env.getOrDefault("GPUCOLO_EMU_GPU_SOCKET", DEFAULT_SOCKET));
        int gpu = 0;
        String visible = env.get("CUDA_VISIBLE_DEVICES");
        if (visible != null && !visible.isBlank()) {
            String first = visible.split(",")[0].trim();
            try {
                gpu = Integer.parseInt(first);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("CUDA_VISIBLE_DEVICES='" + visible + "': expected GPU indices");
            }
        }
        int cap = 100;
        String p = env.get("CUDA_MPS_ACTIVE_THREAD_PERCENTAGE");
        if (p != null && !p.isBlank()) {
            try {
                cap = (int) Math.ceil(Double.parseDouble(p.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("CUDA_MPS_ACTIVE_THREAD_PERCENTAGE='" + p + "' is not a number");
            }
            if (cap < 1 || cap > 100) {
                throw new IllegalArgumentException("CUDA_MPS_ACTIVE_THREAD_PERCENTAGE=" + p + " out of 1..100");
            }
        }
        long limit = memLimitMiB(env.get("CUDA_MPS_PINNED_DEVICE_MEM_LIMIT"), gpu);
        String pipe = env.get("CUDA_MPS_PIPE_DIRECTORY");
        boolean explicit = pipe != null && !pipe.isBlank();
        return new ClientEnv(socket, gpu, cap, limit, Path.of(explicit ? pipe : "/tmp/nvidia-mps"), explicit);
    }

    /** The pinned-memory limit for {@code gpu} in MiB, 0 when none applies. */
    static long memLimitMiB(String spec, int gpu) {
        if (spec == null || spec.isBlank()) {
            return 0;
        }
        for (String part : spec.split(",")) {
            Matcher m = LIMIT.matcher(part.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("CUDA_MPS_PINNED_DEVICE_MEM_LIMIT='" + spec
                        + "': expected DEV=SIZE[,DEV=SIZE] with SIZE like 8G or 4096M");
            }
            if (m.group(1) == null || Integer.parseInt(m.group(1)) == gpu) {
                return toMiB(Long.parseLong(m.group(2)), m.group(3).toUpperCase(java.util.Locale.ROOT));
            }
        }
        return 0;
    }

    /** Converts a size with unit K, M, G, T or none (bytes) to MiB, rounding up. */
    static long toMiB(long n, String unit) {
        return switch (unit) {
            case "T" -> n * 1024 * 1024;
            case "G" -> n * 1024;
            case "M" -> n;
            case "K" -> (n + 1023) / 1024;
            default -> (n + (1 << 20) - 1) >> 20;
        };
    }
}
