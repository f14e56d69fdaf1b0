package io.gpucolo.admission.headroom;

import io.gpucolo.admission.latency.Interference;
import io.gpucolo.admission.latency.LatencyEstimate;
import io.gpucolo.admission.latency.LatencyModel;
import io.gpucolo.admission.model.ServiceLoad;
import io.gpucolo.admission.state.GpuState;
import io.gpucolo.admission.state.ResidentService;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How much training share a GPU can take while every inference service on it keeps its tail-latency SLO.
 *
 * <p>Law: with {@code P0} the training percent already on the GPU and {@code x} the percent to add,
 * <pre>
 *   addable = max { x in 0..(100 - P0) : for every resident service r,
 *                   p99_r(forecast load_r, inference 100%, others = n - 1, training P0 + x, duty 1)
 *                   &lt;= SLO_r x (1 - margin) }
 * </pre>
 * or 0 when even {@code x = 0} violates it. Admission plans for the uncontrolled case (training duty cycle 1):
 * the node controller's sleep duty cycle then only adds safety. The predicted p99 is non-decreasing in the
 * training share, so the maximum is found by bisection over the integers (at most 7 model evaluations per
 * service). A service whose profile the model does not know gets no co-located training (fail safe).
 *
 * <p>Operating range: {@code 0 <= margin < 1}; total training share per GPU is capped at 100%. Immutable and
 * thread-safe when the latency model is (every {@link LatencyModel} is).
 */
public final class HeadroomEstimator {
    /** Training duty cycle assumed when planning: training never put to sleep. */
    static final double PLANNING_DUTY_CYCLE = 1.0;

    private final LatencyModel model;
    private final double sloMargin;

    /**
     * @param model     latency model used to predict each service's p99
     * @param sloMargin fraction of each SLO kept in reserve, 0 (none) to below 1
     */
    public HeadroomEstimator(LatencyModel model, double sloMargin) {
        this.model = Objects.requireNonNull(model, "model");
        if (!(sloMargin >= 0 && sloMargin < 1)) {
            throw new IllegalArgumentException("SLO margin must be in [0, 1), got " + sloMargin);
        }
        this.sloMargin = sloMargin;
    }

    public double sloMargin() {
        return sloMargin;
    }

    /**
     * The largest training MPS percent (0..100) that may be added to the GPU.
     *
     * @param gpu                          the GPU's current occupants
     * @param forecastLoadByServiceJobId   forecast load per resident service job id; a service missing here
     *                                     is planned at the load it currently carries
     */
    public int addablePercent(GpuState gpu, Map<String, ServiceLoad> forecastLoadByServiceJobId) {
        Objects.requireNonNull(gpu, "gpu");
        Objects.requireNonNull(forecastLoadByServiceJobId, "forecastLoadByServiceJobId");
        int existing = gpu.trainingPercent();
        int room = Math.max(0, 100 - existing);
        List<ResidentService> services = gpu.services();
        if (services.isEmpty()) {
            return room;
        }
        if (firstUnknown(services) != null) {
            return 0;
        }
        if (!feasible(gpu, forecastLoadByServiceJobId, existing)) {
            return 0;
        }
        if (room == 0 || feasible(gpu, forecastLoadByServiceJobId, existing + room)) {
            return room;
        }
        int lo = 0;
        int hi = room;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (feasible(gpu, forecastLoadByServiceJobId, existing + mid)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private ResidentService firstUnknown(List<ResidentService> services) {
        for (ResidentService r : services) {
            if (!model.knows(r.service().modelName())) {
                return r;
            }
        }
        return null;
    }

    /** True when every service's predicted p99 is within its limit with this much training on the GPU. */
    private boolean feasible(GpuState gpu, Map<String, ServiceLoad> loads, int trainingPercent) {
        List<ResidentService> services = gpu.services();
        Interference interference = new Interference(services.size() - 1, trainingPercent,
                trainingPercent == 0 ? 0 : PLANNING_DUTY_CYCLE);
        for (ResidentService r : services) {
            ServiceLoad load = loads.getOrDefault(r.jobId(), r.load());
            double p99 = model.predict(r.service().modelName(), gpu.gpu().model(), load, 100, interference).p99Ms();
            if (!(p99 <= limit(r))) {
                return false;
            }
        }
        return true;
    }

    /** Same as {@link #addablePercent} with the explanation: which service binds and its predicted p99. */
    public Headroom estimate(GpuState gpu, Map<String, ServiceLoad> forecastLoadByServiceJobId) {
        int lo = addablePercent(gpu, forecastLoadByServiceJobId);
        int existing = gpu.trainingPercent();
        int room = Math.max(0, 100 - existing);
        if (gpu.services().isEmpty()) {
            return new Headroom(room, "", "", 0, 0,
                    "no inference service on " + gpu.gpu().id() + ": only the 100% training cap binds");
        }
        ResidentService unknown = firstUnknown(gpu.services());
        if (unknown != null) {
            return new Headroom(0, unknown.jobId(), unknown.service().name(), 0, limit(unknown),
                    "no latency profile for model '" + unknown.service().modelName() + "' of service "
                            + unknown.service().name() + ": no training co-located");
        }
        Evaluation best = evaluate(gpu, forecastLoadByServiceJobId, existing + lo);
        if (!best.feasible()) {
            return new Headroom(0, best.worst.jobId(), best.worst.service().name(), finite(best.worstP99),
                    limit(best.worst), String.format(Locale.ROOT, "service %s (job %s) predicted p99 %.2f ms "
                                    + "already above its limit %.2f ms with %d%% training", best.worst.service().name(),
                            best.worst.jobId(), best.worstP99, limit(best.worst), existing));
        }
        String why;
        if (lo == room) {
            why = String.format(Locale.ROOT, "total training share cap (100%%) binds; tightest service %s at "
                    + "p99 %.2f of %.2f ms", best.worst.service().name(), best.worstP99, limit(best.worst));
            return new Headroom(lo, "", "", finite(best.worstP99), limit(best.worst), why);
        }
        Evaluation over = evaluate(gpu, forecastLoadByServiceJobId, existing + lo + 1);
        why = String.format(Locale.ROOT, "service %s (job %s) binds: p99 %.2f ms with +%d%%, %.2f ms with +%d%%, "
                        + "limit %.2f ms", over.worst.service().name(), over.worst.jobId(), best.p99Of(over.worst),
                lo, finite(over.worstP99), lo + 1, limit(over.worst));
        return new Headroom(lo, over.worst.jobId(), over.worst.service().name(), finite(best.p99Of(over.worst)),
                limit(over.worst), why);
    }

    private double limit(ResidentService r) {
        return r.service().sloP99Ms() * (1 - sloMargin);
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : Double.MAX_VALUE;
    }

    private Evaluation evaluate(GpuState gpu, Map<String, ServiceLoad> loads, int trainingPercent) {
        List<ResidentService> services = gpu.services();
        Interference interference = new Interference(services.size() - 1, trainingPercent,
                trainingPercent == 0 ? 0 : PLANNING_DUTY_CYCLE);
        double[] p99 = new double[services.size()];
        ResidentService worst = null;
        double worstSlack = Double.POSITIVE_INFINITY;
        double worstP99 = 0;
        for (int i = 0; i < services.size(); i++) {
            ResidentService r = services.get(i);
            ServiceLoad load = loads.getOrDefault(r.jobId(), r.load());
            LatencyEstimate est = model.predict(r.service().modelName(), gpu.gpu().model(), load, 100, interference);
            p99[i] = est.p99Ms();
            double slack = (limit(r) - est.p99Ms()) / limit(r);
            if (worst == null || slack < worstSlack) {
                worst = r;
                worstSlack = slack;
                worstP99 = est.p99Ms();
            }
        }
        return new Evaluation(services, p99, worst, worstP99, worstSlack >= 0);
    }

    private record Evaluation(List<ResidentService> services, double[] p99, ResidentService worst, double worstP99,
                              boolean feasible) {
        double p99Of(ResidentService r) {
            return p99[services.indexOf(r)];
        }
    }
}
