package io.gpucolo.admission.pipeline;

import io.gpucolo.admission.model.TrainingRequest;
import io.gpucolo.admission.state.GpuState;

/** Filter: at most {@code max} training guests per GPU ({@code limits.max_guests_per_gpu}). */
final class GuestLimit implements Filter {
    private final int max;

    GuestLimit(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("guest limit must be >= 1, got " + max);
        }
        this.max = max;
    }

    @Override
    public String name() {
        return "guests";
    }

    @Override
    public Status filter(TrainingRequest request, int grantedPercent, GpuState gpu) {
        int n = gpu.guests().size();
        if (n >= max) {
            return Status.noRoomNow(name(), n + " guest" + (n == 1 ? "" : "s") + " already, limit " + max);
        }
        return Status.success();
    }
}
