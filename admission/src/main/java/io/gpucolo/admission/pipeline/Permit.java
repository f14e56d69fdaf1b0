package io.gpucolo.admission.pipeline;

import io.gpucolo.admission.model.Placement;
import io.gpucolo.admission.model.TrainingRequest;

/** Stage 5: the last veto on a reserved placement before it is bound. */
public interface Permit extends Plugin {
    Status permit(TrainingRequest request, Placement placement);
}
