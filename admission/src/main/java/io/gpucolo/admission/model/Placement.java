package io.gpucolo.admission.model;

import java.util.Objects;

/**
 * Where an admitted training job runs: one GPU, its MPS active-thread percentage and its pinned GPU
 * memory limit.
 */
public record Placement(String jobId, GpuId gpu, int mpsPercent, long memoryLimitMiB) {
    public Placement {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(gpu, "gpu");
        if (mpsPercent < 1 || mpsPercent > 100) {
            throw new IllegalArgumentException("placement of " + jobId + ": MPS percent must be 1..100, got " + mpsPercent);
        }
        if (memoryLimitMiB <= 0) {
            throw new IllegalArgumentException("placement of " + jobId + ": memory limit must be positive");
        }
    }
}
