package io.gpucolo.admission.pipeline;

import io.gpucolo.admission.model.GpuId;
import java.util.Objects;

/**
 * Why one GPU was or was not chosen for a request.
 *
 * @param gpu         the GPU
 * @param status      the first failing filter's status, or success when the GPU fits
 * @param freePercent training share the GPU could still take before this request (capacity minus guests)
 * @param score       the summed score when the GPU fits, else -1
 * @param considered  true when the decision path scored this GPU (it stops after the policy's score limit)
 * @param chosen      true for the GPU the decision placed the job on
 * @param note        the capacity plugin's explanation of this GPU's capacity ({@code ""} when none)
 */
public record GpuVerdict(GpuId gpu, Status status, int freePercent, int score, boolean considered, boolean chosen,
                         String note) {
    public GpuVerdict {
        Objects.requireNonNull(gpu, "gpu");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(note, "note");
        if (chosen && !status.isSuccess()) {
            throw new IllegalArgumentException("GPU " + gpu + " chosen although filtered: " + status);
        }
    }
}
