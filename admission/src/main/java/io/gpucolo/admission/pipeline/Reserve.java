package io.gpucolo.admission.pipeline;

import io.gpucolo.admission.model.Placement;
import io.gpucolo.admission.model.TrainingRequest;

/**
 * Stage 4: holds resources outside the cluster state for a placement (the cluster state itself is always
 * reserved first, by the orchestrator). {@link #unreserve} undoes a successful {@link #reserve} and must
 * not fail.
 */
public interface Reserve extends Plugin {
    Status reserve(TrainingRequest request, Placement placement);

    void unreserve(TrainingRequest request, Placement placement);
}
