package io.gpucolo.admission.state;

import java.util.Objects;

/** A training job co-located on a GPU: its MPS percentage and pinned memory limit. */
public record Guest(String jobId, String owner, int mpsPercent, long memoryMiB, boolean restartable) {
    public Guest {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(owner, "owner");
        if (mpsPercent < 1 || mpsPercent > 100) {
            throw new IllegalArgumentException("guest " + jobId + ": MPS percent must be 1..100, got " + mpsPercent);
        }
        if (memoryMiB <= 0) {
            throw new IllegalArgumentException("guest " + jobId + ": memory must be positive");
        }
    }
}
