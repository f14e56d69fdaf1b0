package io.gpucolo.admitd;

import io.gpucolo.admission.pipeline.Admission;
import io.gpucolo.admission.policy.Policy;
import java.util.Objects;

/** The policy admitd runs with and the admission pipeline built from it (swapped together on reload). */
record Setup(Policy policy, Admission admission, String source) {
    Setup {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(admission, "admission");
        Objects.requireNonNull(source, "source");
    }

    /** The Slurm mps count an inference service job holds: what the policy leaves beside the guests' maximum. */
    int serviceSlurmCount() {
        return Math.max(1, 100 - policy.limits().trainingShareMaxPercent());
    }
}
