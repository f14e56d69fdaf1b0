package io.gpucolo.admission.pipeline;

import io.gpucolo.admission.model.TrainingRequest;
import io.gpucolo.admission.state.GpuState;

/**
 * Stage 2: may this GPU take the request, {@code grantedPercent} of MPS share included? Pure: the same
 * filters re-check the GPU's current value when the placement is reserved.
 */
public interface Filter extends Plugin {
    Status filter(TrainingRequest request, int grantedPercent, GpuState gpu);
}
