package io.gpucolo.admission.plugins;

import io.gpucolo.admission.latency.LatencyModel;
import io.gpucolo.admission.pipeline.Capacity;
import io.gpucolo.admission.state.GpuState;
import io.gpucolo.admission.state.ResidentService;

/**
 * Capacity of policy {@code first-fit}, the paper's packer: a GPU is a bin of 100% utilization; every
 * occupant takes its requested share, with no latency model. A resident inference service's share is its
 * busy fraction at its load:
 * <pre>
 *   share(r) = ceil( 100 × (rps_r / batch_r) × soloBatchLatencyMs(model_r, gpu, batch_r) / 1000 ),  clamped to 1..100
 *   capacity(gpu) = max(0, 100 − Σ_r share(r))
 * </pre>
 * A service whose profile is unknown takes the whole GPU (fail safe).
 */
final class FirstFitCapacity implements Capacity {
    private final LatencyModel model;

    FirstFitCapacity(LatencyModel model) {
        this.model = model;
    }

    @Override
    public String name() {
        return "first-fit";
    }

    @Override
    public int capacityPercent(GpuState gpu) {
        int used = 0;
        for (ResidentService r : gpu.services()) {
            used += serviceShare(r, gpu.gpu().model());
        }
        return Math.max(0, 100 - used);
    }

    @Override
    public int ceilingPercent() {
        return 100;
    }

    @Override
    public String explain(GpuState gpu) {
        StringBuilder b = new StringBuilder();
        for (ResidentService r : gpu.services()) {
            b.append(b.length() == 0 ? "" : ", ").append(r.service().name()).append(' ')
                    .append(serviceShare(r, gpu.gpu().model())).append('%');
        }
        return b.length() == 0 ? "no inference here" : "inference shares: " + b;
    }

    int serviceShare(ResidentService r, String gpuModel) {
        String profile = r.service().modelName();
        if (!model.knows(profile)) {
            return 100;
        }
        double batchesPerSecond = r.load().requestsPerSecond() / r.load().batch();
        double busy = batchesPerSecond * model.soloBatchLatencyMs(profile, gpuModel, r.load().batch()) / 1000.0;
        return (int) Math.max(1, Math.min(100, Math.ceil(100 * busy - 1e-9)));
    }
}
