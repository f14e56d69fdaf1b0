package io.gpucolo.admission.model;

import java.util.Objects;

/**
 * One physical GPU: its id, model name (e.g. {@code A100-80GB}, {@code V100}), memory in MiB and
 * streaming-multiprocessor count.
 */
public record Gpu(GpuId id, String model, long memoryMiB, int smCount) {
    public Gpu {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
        if (model.isBlank()) {
            throw new IllegalArgumentException("GPU " + id + ": model must not be blank");
        }
        if (memoryMiB <= 0) {
            throw new IllegalArgumentException("GPU " + id + ": memory must be positive, got " + memoryMiB + " MiB");
        }
        if (smCount <= 0) {
            throw new IllegalArgumentException("GPU " + id + ": SM count must be positive, got " + smCount);
        }
    }
}
