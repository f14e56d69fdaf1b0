package io.gpucolo.admission.pipeline;

import io.gpucolo.admission.model.Placement;
import io.gpucolo.admission.model.TrainingRequest;

/**
 * Stage 6, a port: applies a reserved and permitted placement to the world (the Slurm adapter rewrites the
 * job to the chosen GPU; the simulator starts the job). Implemented outside the core. A non-success status
 * or an exception makes the orchestrator unreserve the placement.
 */
@FunctionalInterface
public interface BindPort {
    Status bind(TrainingRequest request, Placement placement);
}
