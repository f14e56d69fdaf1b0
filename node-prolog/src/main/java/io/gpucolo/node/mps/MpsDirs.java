package io.gpucolo.node.mps;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where each GPU's MPS daemon keeps its pipes and logs: {@code PIPE_ROOT/gN} and {@code LOG_ROOT/gN}. One daemon
 * per GPU (started with {@code CUDA_VISIBLE_DEVICES=N}), so a job's {@code CUDA_MPS_PIPE_DIRECTORY} selects its GPU.
 */
public record MpsDirs(Path pipeRoot, Path logRoot) {
    public MpsDirs {
        Objects.requireNonNull(pipeRoot, "pipeRoot");
        Objects.requireNonNull(logRoot, "logRoot");
        if (!pipeRoot.isAbsolute() || !logRoot.isAbsolute()) {
            throw new IllegalArgumentException("MPS pipe and log roots must be absolute paths: " + pipeRoot + ", " + logRoot);
        }
    }

    public Path pipe(int gpu) {
        return pipeRoot.resolve("g" + gpu);
    }

    public Path log(int gpu) {
        return logRoot.resolve("g" + gpu);
    }

    /** The control daemon's pid file, as NVIDIA's daemon and the stand-in write it. */
    public Path pidFile(int gpu) {
        return pipe(gpu).resolve("nvidia-cuda-mps-control.pid");
    }
}
