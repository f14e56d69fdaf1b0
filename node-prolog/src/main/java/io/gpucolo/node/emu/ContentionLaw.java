package io.gpucolo.node.emu;

import io.gpucolo.admission.latency.Interference;
import io.gpucolo.admission.latency.LatencyModel;
import io.gpucolo.admission.model.ServiceLoad;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How the emulated GPU shares its capacity among the clients that have work queued at one instant. It returns,
 * for each active client, the rate at which its head kernel progresses, in work-milliseconds per
 * millisecond (1.0 = as fast as alone on an idle GPU).
 * <p>The law, for the set A of active clients (clients with at least one queued kernel):
 * <ul>
 *   <li><b>Contexts.</b> Clients of one MPS server share one context; every client outside MPS is a context of
 *   its own. With k active contexts the GPU time-slices: every rate below is multiplied by 1/k.</li>
 *   <li><b>Inference</b> client i with MPS cap p_i: {@code rate_i = 1 / slowdown_i}, where
 *   {@code slowdown_i = M.predict(model_i, gpu, load0, p_i, I_i).mean / M.predict(model_i, gpu, load0, 100, NONE).mean},
 *   M is the admission core's {@link LatencyModel}, load0 is zero load at the client's batch (so the estimate is the
 *   pure service time, no queueing) and I_i = (other active inference clients in the context, sum of the caps of the
 *   active training clients in the context, duty 1 if any training client is active else 0). This is the very
 *   interference factor the simulator and the admission core use.</li>
 *   <li><b>Training</b> client j with cap c_j: {@code rate_j = c_j / max(100, C) / S}, where C is the sum of the caps of
 *   the active training clients in the context and S the largest inference slowdown in the context (1 when no
 *   inference is active): linear in the MPS share (the paper's simulator rule), slowed by the same interference
 *   factor the inference sees.</li>
 * </ul>
 * Operating range: caps 1..100, any number of clients; rates are positive and at most 1.
 */
final class ContentionLaw {
    private final LatencyModel model;
    private final String gpuModel;

    ContentionLaw(LatencyModel model, String gpuModel) {
        this.model = Objects.requireNonNull(model, "model");
        this.gpuModel = Objects.requireNonNull(gpuModel, "gpuModel");
    }

    /** One active client as the law sees it. */
    record Active(ClientKind kind, String context, int capPercent, String modelName, int batch) {
        Active {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(context, "context");
            if (capPercent < 1 || capPercent > 100) {
                throw new IllegalArgumentException("cap must be 1..100, got " + capPercent);
            }
        }
    }

    /** Rates for {@code active}, index for index. */
    double[] rates(List<Active> active) {
        Set<String> contexts = new HashSet<>();
        for (Active a : active) {
            contexts.add(a.context());
        }
        double slice = contexts.isEmpty() ? 1 : 1.0 / contexts.size();
        double[] rates = new double[active.size()];
        for (String ctx : contexts) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < active.size(); i++) {
                if (active.get(i).context().equals(ctx)) {
                    members.add(i);
                }
            }
            applyWithinContext(active, members, rates, slice);
        }
        return rates;
    }

    private void applyWithinContext(List<Active> active, List<Integer> members, double[] rates, double slice) {
        int inference = 0;
        double trainingCaps = 0;
        for (int i : members) {
            if (active.get(i).kind() == ClientKind.INFER) {
                inference++;
            } else {
                trainingCaps += active.get(i).capPercent();
            }
        }
        double worstSlowdown = 1;
        for (int i : members) {
            Active a = active.get(i);
            if (a.kind() == ClientKind.INFER) {
                double s = inferenceSlowdown(a, inference - 1, trainingCaps);
                worstSlowdown = Math.max(worstSlowdown, s);
                rates[i] = slice / s;
            }
        }
        for (int i : members) {
            Active a = active.get(i);
            if (a.kind() == ClientKind.TRAIN) {
                rates[i] = slice * a.capPercent() / Math.max(100, trainingCaps) / worstSlowdown;
            }
        }
    }

    /** The factor by which an inference batch runs slower than alone at 100%, from the latency model. */
    double inferenceSlowdown(Active a, int otherInference, double trainingCaps) {
        ServiceLoad zero = new ServiceLoad(0, a.batch());
        Interference i = new Interference(otherInference, trainingCaps, trainingCaps > 0 ? 1 : 0);
        double with = model.predict(a.modelName(), gpuModel, zero, a.capPercent(), i).meanMs();
        double alone = model.predict(a.modelName(), gpuModel, zero, 100, Interference.NONE).meanMs();
        if (!(with > 0) || !(alone > 0) || Double.isInfinite(with)) {
            throw new IllegalStateException("latency model gave no finite service time for " + a.modelName()
                    + " on " + gpuModel + ": " + with + " / " + alone + " ms");
        }
        return Math.max(1, with / alone);
    }

    /** Solo service time of one inference batch, ms (the kernel's work). */
    double soloBatchMs(String modelName, int batch) {
        return model.soloBatchLatencyMs(modelName, gpuModel, batch);
    }
}
