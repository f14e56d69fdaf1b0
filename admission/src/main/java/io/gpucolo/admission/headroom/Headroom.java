package io.gpucolo.admission.headroom;

import java.util.Objects;

/**
 * The explained result of a headroom estimate for one GPU.
 *
 * @param addablePercent  largest training MPS percentage (0..100) that may be added to the GPU
 * @param bindingJobId    job id of the resident service that limits the result, or empty when none binds
 *                        (no resident service, or the cap on total training share binds first)
 * @param bindingService  name of that service, or empty
 * @param predictedP99Ms  the binding service's predicted p99 with {@code addablePercent} added, ms (0 when none)
 * @param limitP99Ms      its p99 limit, SLO x (1 - margin), ms (0 when none)
 * @param reason          one line a person can read: why the number is what it is
 */
public record Headroom(int addablePercent, String bindingJobId, String bindingService, double predictedP99Ms,
                       double limitP99Ms, String reason) {
    public Headroom {
        if (addablePercent < 0 || addablePercent > 100) {
            throw new IllegalArgumentException("addable percent must be in 0..100, got " + addablePercent);
        }
        Objects.requireNonNull(bindingJobId, "bindingJobId");
        Objects.requireNonNull(bindingService, "bindingService");
        Objects.requireNonNull(reason, "reason");
        if (!(predictedP99Ms >= 0) || !(limitP99Ms >= 0)) {
            throw new IllegalArgumentException("latencies must be >= 0");
        }
    }

    /** True when some training may be added. */
    public boolean any() {
        return addablePercent > 0;
    }
}
