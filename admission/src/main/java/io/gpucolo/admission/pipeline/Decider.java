package io.gpucolo.admission.pipeline;

import io.gpucolo.admission.model.Decision;
import io.gpucolo.admission.model.Placement;
import io.gpucolo.admission.model.TrainingRequest;
import io.gpucolo.admission.state.ClusterState;
import io.gpucolo.admission.state.GpuState;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The side-effect-free half of the pipeline: pre-filter, then filter and score the candidates the index
 * offers, then choose. Reads top-down; {@link Admission} adds reserve, permit and bind.
 */
final class Decider {
    /** What one run decided; {@code chosen} is the chosen GPU's ordinal, or -1. */
    record Outcome(Status preFilter, Decision decision, int chosen) { }

    private final PlacementPolicy policy;
    private final Capacity capacity;
    private final List<Filter> filters;

    Decider(PlacementPolicy policy, Capacity capacity) {
        this.policy = policy;
        this.capacity = capacity;
        List<Filter> all = new ArrayList<>(policy.filters());
        all.add(new CapacityFilter(capacity));
        this.filters = List.copyOf(all);
    }

    int granted(TrainingRequest request) {
        return policy.grantedPercent(request);
    }

    /** Runs the decision; {@code considered}, when given, receives the ordinals that were scored. */
    Outcome decide(TrainingRequest request, ClusterState state, BitSet considered) {
        Status pre = preFilter(request, state);
        if (!pre.isSuccess()) {
            return new Outcome(pre, Admission.toDecision(request.jobId(), pre), -1);
        }
        int granted = granted(request);
        CandidateIndex index = state.attachment(this, s -> new CandidateIndex(s, capacity));
        Map<String, Integer> refusals = new TreeMap<>();
        int[] best = {-1, -1, 0};      // ordinal, score, feasible count
        boolean[] roomLater = {false, false};   // some GPU has room later; some GPU is forbidden by policy
        int offered = index.forEach(granted, policy.order(), i -> {
            GpuState g = state.at(i);
            Status st = firstFailing(request, granted, g);
            if (!st.isSuccess()) {
                refusals.merge(st.plugin(), 1, Integer::sum);
                roomLater[0] |= st.code() == Status.Code.NO_ROOM_NOW || st.code() == Status.Code.ERROR;
                roomLater[1] |= st.code() == Status.Code.FORBIDDEN;
                return true;
            }
            int sc = score(request, granted, g);
            if (considered != null) {
                considered.set(i);
            }
            if (sc > best[1]) {
                best[0] = i;
                best[1] = sc;
            }
            return ++best[2] < policy.scoreLimit();
        });
        if (best[0] >= 0) {
            Placement p = new Placement(request.jobId(), state.idAt(best[0]), granted,
                    policy.grantedMemoryMiB(request));
            return new Outcome(pre, new Decision.Admit(request.jobId(), p), best[0]);
        }
        int skipped = state.gpuCount() - offered;
        if (skipped > 0) {
            refusals.merge(capacity.name(), skipped, Integer::sum);
            roomLater[0] = roomLater[0] || anyRoomLater(request, granted, state);
        }
        String summary = summary(refusals);
        if (roomLater[0]) {
            return new Outcome(pre, new Decision.Defer(request.jobId(), "no GPU has room now (" + summary + ")"), -1);
        }
        return new Outcome(pre, new Decision.Reject(request.jobId(), "no GPU can take this job (" + summary + ")",
                roomLater[1]), -1);
    }

    /** The first filter that refuses this GPU, or success. */
    Status firstFailing(TrainingRequest request, int granted, GpuState gpu) {
        for (Filter f : filters) {
            Status st = f.filter(request, granted, gpu);
            if (!st.isSuccess()) {
                return st;
            }
        }
        return Status.success();
    }

    int score(TrainingRequest request, int granted, GpuState gpu) {
        int sum = 0;
        int free = Math.max(0, capacity.capacityPercent(gpu) - gpu.trainingPercent());
        for (Score s : policy.scores()) {
            int v = s.score(request, granted, gpu, free);
            if (v < 0 || v > 100) {
                throw new IllegalStateException("score plugin " + s.name() + " returned " + v + " (must be 0..100)");
            }
            sum += v;
        }
        return sum;
    }

    private Status preFilter(TrainingRequest request, ClusterState state) {
        if (state.gpuCount() == 0) {
            return Status.neverFits("cluster", "the cluster has no GPUs");
        }
        int granted = granted(request);
        if (granted > capacity.ceilingPercent()) {
            return Status.forbidden(policy.name(), "policy " + policy.name() + " allows at most "
                    + capacity.ceilingPercent() + "% training share on a GPU; job asks " + granted + "%");
        }
        for (PreFilter p : policy.preFilters()) {
            Status st = p.preFilter(request, state);
            if (!st.isSuccess()) {
                return st;
            }
        }
        return Status.success();
    }

    /** Whether any GPU the index skipped is refused only for now (rare path: nothing was feasible). */
    private boolean anyRoomLater(TrainingRequest request, int granted, ClusterState state) {
        for (int i = 0; i < state.gpuCount(); i++) {
            Status st = firstFailing(request, granted, state.at(i));
            if (st.code() == Status.Code.NO_ROOM_NOW || st.isSuccess()) {
                return true;
            }
        }
        return false;
    }

    private static String summary(Map<String, Integer> refusals) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Integer> e : refusals.entrySet()) {
            if (b.length() > 0) {
                b.append("; ");
            }
            b.append(e.getKey()).append(": ").append(e.getValue()).append(e.getValue() == 1 ? " GPU" : " GPUs");
        }
        return b.toString();
    }
}
