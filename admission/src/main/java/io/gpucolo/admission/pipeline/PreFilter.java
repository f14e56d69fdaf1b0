package io.gpucolo.admission.pipeline;

import io.gpucolo.admission.model.TrainingRequest;
import io.gpucolo.admission.state.ClusterState;

/** Stage 1: checks the request once, before any GPU is looked at (bounds, permissions, impossible sizes). */
public interface PreFilter extends Plugin {
    Status preFilter(TrainingRequest request, ClusterState state);
}
