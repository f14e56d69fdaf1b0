package io.gpucolo.admission.pipeline;

import io.gpucolo.admission.model.TrainingRequest;
import io.gpucolo.admission.state.GpuState;

/**
 * Stage 3: how good a feasible GPU is for the request, 0 (worst) to 100 (best). Scores of plugins add up.
 * {@code freePercent} is the training share the GPU could take before this request (the policy's capacity
 * minus its guests), computed once by the orchestrator.
 */
public interface Score extends Plugin {
    int score(TrainingRequest request, int grantedPercent, GpuState gpu, int freePercent);
}
