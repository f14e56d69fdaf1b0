package io.gpucolo.admission.plugins;

import io.gpucolo.admission.model.TrainingRequest;
import io.gpucolo.admission.pipeline.PreFilter;
import io.gpucolo.admission.pipeline.Status;
import io.gpucolo.admission.state.ClusterState;

/** Pre-filter: a job needing more memory than the largest GPU (less the reserve) can never run. */
final class MemoryCeiling implements PreFilter {
    private final long reserveMiB;
    private final long minGuestMemoryMiB;

    MemoryCeiling(long reserveMiB, long minGuestMemoryMiB) {
        this.reserveMiB = reserveMiB;
        this.minGuestMemoryMiB = minGuestMemoryMiB;
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Status preFilter(TrainingRequest request, ClusterState state) {
        long need = Math.max(request.memoryMiB(), minGuestMemoryMiB);
        long most = state.maxGpuMemoryMiB() - reserveMiB;
        if (need > most) {
            return Status.neverFits(name(), "job needs " + need + " MiB of GPU memory; the largest GPU offers "
                    + Math.max(0, most) + " MiB (" + state.maxGpuMemoryMiB() + " MiB less a " + reserveMiB
                    + " MiB reserve)");
        }
        return Status.success();
    }
}
