package io.gpucolo.admission.plugins;

import io.gpucolo.admission.headroom.HeadroomEstimator;
import io.gpucolo.admission.model.ServiceLoad;
import io.gpucolo.admission.pipeline.Capacity;
import io.gpucolo.admission.state.GpuState;
import io.gpucolo.admission.state.ResidentService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Capacity of policy {@code headroom} (ours): the training share the latency model says a GPU can hold
 * while every resident service keeps its p99 under {@code SLO × (1 − sloMargin)} at its planned load
 * inflated by the burst margin:
 * <pre>
 *   capacity(gpu) = min(ceiling, addable(gpu without guests, load_r × (1 + burstMargin) for each service r))
 * </pre>
 * where {@code addable} is {@link HeadroomEstimator#addablePercent}. A GPU without inference allows the
 * ceiling ({@code limits.training_share_max_percent}). The planned load of a service is the one recorded
 * in the cluster state (the daemon and the simulator write their forecast there).
 */
final class HeadroomCapacity implements Capacity {
    private final HeadroomEstimator estimator;
    private final double burstMargin;
    private final int ceiling;

    HeadroomCapacity(HeadroomEstimator estimator, double burstMargin, int ceilingPercent) {
        if (!(burstMargin >= 0) || Double.isInfinite(burstMargin)) {
            throw new IllegalArgumentException("burst margin must be a finite number >= 0, got " + burstMargin);
        }
        this.estimator = estimator;
        this.burstMargin = burstMargin;
        this.ceiling = ceilingPercent;
    }

    @Override
    public String name() {
        return "headroom";
    }

    @Override
    public int capacityPercent(GpuState gpu) {
        if (!gpu.hasInference()) {
            return ceiling;
        }
        return Math.min(ceiling, estimator.addablePercent(withoutGuests(gpu), plannedLoads(gpu)));
    }

    @Override
    public int ceilingPercent() {
        return ceiling;
    }

    @Override
    public String explain(GpuState gpu) {
        if (!gpu.hasInference()) {
            return "no inference here: the " + ceiling + "% share ceiling binds";
        }
        var h = estimator.estimate(withoutGuests(gpu), plannedLoads(gpu));
        return h.addablePercent() >= ceiling ? "the " + ceiling + "% share ceiling binds (the latency model allows "
                + h.addablePercent() + "%)" : h.reason();
    }

    private Map<String, ServiceLoad> plannedLoads(GpuState gpu) {
        Map<String, ServiceLoad> loads = new HashMap<>();
        for (ResidentService r : gpu.services()) {
            ServiceLoad l = r.load();
            loads.put(r.jobId(), new ServiceLoad(l.requestsPerSecond() * (1 + burstMargin), l.batch()));
        }
        return loads;
    }

    private static GpuState withoutGuests(GpuState gpu) {
        return gpu.guests().isEmpty() ? gpu : new GpuState(gpu.gpu(), gpu.services(), List.of(), gpu.version());
    }
}
