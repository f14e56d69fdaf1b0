package io.gpucolo.admission.pipeline;

import io.gpucolo.admission.model.TrainingRequest;
import io.gpucolo.admission.state.GpuState;

/**
 * The filter every policy ends with: the granted share must fit in the GPU's capacity minus the share its
 * guests already hold. A shortfall is always "no room now" (the capacity follows load and occupants).
 */
final class CapacityFilter implements Filter {
    private final Capacity capacity;

    CapacityFilter(Capacity capacity) {
        this.capacity = capacity;
    }

    @Override
    public String name() {
        return capacity.name();
    }

    @Override
    public Status filter(TrainingRequest request, int grantedPercent, GpuState gpu) {
        int cap = capacity.capacityPercent(gpu);
        int used = gpu.trainingPercent();
        if (used + grantedPercent <= cap) {
            return Status.success();
        }
        return Status.noRoomNow(name(), "training share " + used + "% + " + grantedPercent + "% would exceed the "
                + cap + "% this GPU allows now (free " + Math.max(0, cap - used) + "%)");
    }
}
