package io.gpucolo.admission.plugins;

import io.gpucolo.admission.pipeline.Capacity;
import io.gpucolo.admission.state.GpuState;

/**
 * Capacity of policy {@code dedicated} (no co-location): a GPU that serves inference takes no training;
 * any other GPU takes one training job at 100%.
 * <pre>
 *   capacity(gpu) = 0 if the GPU has an inference service, else 100
 * </pre>
 * (the one-guest rule is the guest limit filter with limit 1).
 */
final class DedicatedCapacity implements Capacity {
    @Override
    public String name() {
        return "dedicated";
    }

    @Override
    public int capacityPercent(GpuState gpu) {
        return gpu.hasInference() ? 0 : 100;
    }

    @Override
    public int ceilingPercent() {
        return 100;
    }

    @Override
    public String explain(GpuState gpu) {
        return gpu.hasInference() ? "serves inference: never shared under dedicated" : "";
    }
}
