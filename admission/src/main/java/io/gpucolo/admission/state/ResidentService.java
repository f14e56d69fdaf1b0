package io.gpucolo.admission.state;

import io.gpucolo.admission.model.InferenceService;
import io.gpucolo.admission.model.ServiceLoad;
import java.util.Objects;

/**
 * An inference service instance running on a GPU (a Slurm job, or a trace job in the simulator), with the
 * load it currently carries there. Inference always runs at 100% MPS share.
 */
public record ResidentService(String jobId, InferenceService service, ServiceLoad load) {
    public ResidentService {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(load, "load");
    }
}
