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
 * offers, then choose. Reads top-down; {@link Admission} adds reserve, permit and bind. The pipeline's own
 * filters come first (memory, guests per GPU), then the policy's, then the capacity filter.
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
        PlacementPolicy.Limits l = policy.limits();
        List<Filter> all = new ArrayList<>();
        all.add(new MemoryFit(l.memoryReserveMiB(), l.minGuestMemoryMiB()));
        all.add(new GuestLimit(l.maxGuestsPerGpu()));
        all.addAll(policy.filters());
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
        long memory = policy.grantedMemoryMiB(request);
        CandidateIndex index = state.attachment(this, s -> new CandidateIndex(s, capacity, policy.limits()));
        Map<String, Integer> refusals = new TreeMap<>();
        int[] best = {-1, -1, 0};      // ordinal, score, feasible count
        boolean[] seen = {false, false};   // some GPU has room later; some GPU is forbidden by policy
        CandidateIndex.Sweep sweep = index.forEach(granted, memory, policy.order(), i -> {
            GpuState g = state.at(i);
            Status st = firstFailing(request, granted, g);
            if (!st.isSuccess()) {
                refusals.merge(st.plugin(), 1, Integer::sum);
                seen[0] |= st.code() == Status.Code.NO_ROOM_NOW || st.code() == Status.Code.ERROR;
                seen[1] |= st.code() == Status.Code.FORBIDDEN;
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
            Placement p = new Placement(request.jobId(), state.idAt(best[0]), granted, memory);
            return new Outcome(pre, new Decision.Admit(request.jobId(), p), best[0]);
        }
        if (sweep.shortOfShare() > 0) {
            refusals.merge(capacity.name() + " or guest limit", sweep.shortOfShare(), Integer::sum);
        }
        if (sweep.shortOfMemory() > 0) {
            refusals.merge("memory", sweep.shortOfMemory(), Integer::sum);
        }
        // a shortfall of share or a full guest list is always "no room now"; a shortfall of memory may be
        // "never" on a small GPU, so that rare case looks at the skipped GPUs' own verdicts
        seen[0] |= sweep.shortOfShare() > 0;
        if (sweep.shortOfMemory() > 0 && !seen[0]) {
            seen[0] = anyRoomLater(request, granted, state);
        }
        String summary = summary(refusals);
        if (seen[0]) {
            return new Outcome(pre, new Decision.Defer(request.jobId(), "no GPU has room now (" + summary + ")"), -1);
        }
        return new Outcome(pre, new Decision.Reject(request.jobId(), "no GPU can take this job (" + summary + ")",
                seen[1]), -1);
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

    /** Request-level checks: the pipeline's own (GPUs exist, share ceiling, memory ceiling), then the policy's. */
    private Status preFilter(TrainingRequest request, ClusterState state) {
        if (state.gpuCount() == 0) {
            return Status.neverFits("cluster", "the cluster has no GPUs");
        }
        int granted = granted(request);
        if (granted > capacity.ceilingPercent()) {
            return Status.forbidden(policy.name(), "policy " + policy.name() + " allows at most "
                    + capacity.ceilingPercent() + "% training share on a GPU; job asks " + granted + "%");
        }
        long need = policy.grantedMemoryMiB(request);
        long reserve = policy.limits().memoryReserveMiB();
        long most = state.maxGpuMemoryMiB() - reserve;
        if (need > most) {
            return Status.neverFits("memory", "job needs " + need + " MiB of GPU memory; the largest GPU offers "
                    + Math.max(0, most) + " MiB (" + state.maxGpuMemoryMiB() + " MiB less a " + reserve
                    + " MiB reserve)");
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
