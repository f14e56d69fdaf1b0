package io.gpucolo.admission.pipeline;

import io.gpucolo.admission.state.GpuState;

/**
 * The policy's answer to "how much training MPS share may this GPU hold in total, given the inference
 * services on it?" (guests already on the GPU do not count against the answer; the orchestrator subtracts
 * them). The candidate index, the capacity filter and the eviction order all use it. Must be pure and depend
 * only on the GPU and its services (their loads included), never on its guests: answers are cached until
 * the services change.
 */
public interface Capacity extends Plugin {
    /** Total training share allowed on this GPU, 0..100. */
    int capacityPercent(GpuState gpu);

    /** The most any GPU can ever allow under this policy (bounds the shares it can admit). */
    int ceilingPercent();

    /** Why this GPU allows what it allows, for explanations ({@code ""} when there is nothing to add). */
    default String explain(GpuState gpu) {
        return "";
    }
}
