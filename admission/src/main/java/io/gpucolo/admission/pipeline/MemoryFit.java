package io.gpucolo.admission.pipeline;

import io.gpucolo.admission.model.TrainingRequest;
import io.gpucolo.admission.state.GpuState;

/**
 * Filter, a hard constraint: services + guests + the job + the reserve must fit in the GPU's memory.
 * A GPU too small in total can never take the job; one that is too full has no room now.
 */
final class MemoryFit implements Filter {
    private final long reserveMiB;
    private final long minGuestMemoryMiB;

    MemoryFit(long reserveMiB, long minGuestMemoryMiB) {
        this.reserveMiB = reserveMiB;
        this.minGuestMemoryMiB = minGuestMemoryMiB;
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Status filter(TrainingRequest request, int grantedPercent, GpuState gpu) {
        long need = Math.max(request.memoryMiB(), minGuestMemoryMiB);
        long total = gpu.gpu().memoryMiB() - reserveMiB;
        if (need > total) {
            return Status.neverFits(name(), "needs " + need + " MiB; GPU has " + gpu.gpu().memoryMiB()
                    + " MiB in all (" + reserveMiB + " MiB reserved)");
        }
        long free = total - gpu.usedMemoryMiB();
        if (need > free) {
            return Status.noRoomNow(name(), "needs " + need + " MiB; " + Math.max(0, free) + " MiB free");
        }
        return Status.success();
    }
}
