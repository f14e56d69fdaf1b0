package io.gpucolo.admission.pipeline;

import io.gpucolo.admission.model.Decision;
import io.gpucolo.admission.model.GpuId;
import io.gpucolo.admission.model.Placement;
import io.gpucolo.admission.model.TrainingRequest;
import io.gpucolo.admission.state.ClusterState;
import io.gpucolo.admission.state.GpuState;
import io.gpucolo.admission.state.Guest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one entry point the daemon, the simulator and {@code gpucolo explain} call. The pipeline runs in
 * this order:
 * <pre>
 *   PreFilter* ─► [index: GPUs with enough free share, in the policy's order]
 *              ─► Filter* + capacity ─► Score* (up to scoreLimit feasible GPUs) ─► choose the best
 *   admit only: ─► reserve in ClusterState (filters re-checked atomically) ─► Reserve* ─► Permit* ─► BindPort
 * </pre>
 * Every failure after the cluster-state reservation unreserves everything reserved so far, in reverse.
 * Thread-safe: any number of threads may decide and admit at once; no GPU is ever committed beyond what
 * the filters allow.
 */
public final class Admission {
    /** How often {@link #admit} re-decides after losing a GPU to a concurrent decision. */
    private static final int ATTEMPTS = 4;

    private final PlacementPolicy policy;
    private final Capacity capacity;
    private final Decider decider;

    public Admission(PlacementPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.capacity = new CachingCapacity(policy.capacity());
        this.decider = new Decider(policy, capacity);
    }

    public PlacementPolicy policy() {
        return policy;
    }

    /** Decides without side effects (the production path of {@link #admit} up to the choice). */
    public Decision decide(TrainingRequest request, ClusterState state) {
        return decider.decide(request, state, null).decision();
    }

    /**
     * Decides without side effects and explains it: per GPU the first filter that refused it, or its
     * score. The decision is the one {@link #decide} returns for the same state.
     */
    public Evaluation evaluate(TrainingRequest request, ClusterState state) {
        BitSet considered = new BitSet();
        Decider.Outcome out = decider.decide(request, state, considered);
        if (!out.preFilter().isSuccess()) {
            return new Evaluation(request, policy.name(), out.preFilter(), out.decision(), List.of());
        }
        int granted = decider.granted(request);
        List<GpuVerdict> verdicts = new ArrayList<>(state.gpuCount());
        for (int i = 0; i < state.gpuCount(); i++) {
            GpuState g = state.at(i);
            Status st = decider.firstFailing(request, granted, g);
            int free = Math.max(0, capacity.capacityPercent(g) - g.trainingPercent());
            int score = st.isSuccess() ? decider.score(request, granted, g) : -1;
            verdicts.add(new GpuVerdict(g.gpu().id(), st, free, score, considered.get(i), i == out.chosen(),
                    capacity.explain(g)));
        }
        return new Evaluation(request, policy.name(), out.preFilter(), out.decision(), verdicts);
    }

    /**
     * Decides, then reserves the chosen GPU (re-checking every filter against its current value), runs
     * the reserve and permit plugins and binds through the port. On any failure everything reserved is
     * released and the failure becomes the decision (a bind that throws becomes a {@code Defer}).
     */
    public Decision admit(TrainingRequest request, ClusterState state, BindPort bind) {
        Objects.requireNonNull(bind, "bind");
        Optional<GpuId> placed = state.guestGpu(request.jobId());
        if (placed.isPresent()) {
            return new Decision.Reject(request.jobId(), "job " + request.jobId() + " is already placed on "
                    + placed.get(), false);
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Decision d = decide(request, state);
            if (!(d instanceof Decision.Admit admit)) {
                return d;
            }
            Placement p = admit.placement();
            Guest guest = new Guest(request.jobId(), request.owner(), p.mpsPercent(), p.memoryLimitMiB(),
                    request.restartable());
            boolean reserved = state.reserve(p.gpu(), guest,
                    g -> decider.firstFailing(request, p.mpsPercent(), g).isSuccess()).isPresent();
            if (reserved) {
                return reserveThenBind(request, state, p, bind, admit);
            }
        }
        return new Decision.Defer(request.jobId(), "every GPU chosen was taken by concurrent decisions; retry");
    }

    private Decision reserveThenBind(TrainingRequest request, ClusterState state, Placement p, BindPort bind,
                                     Decision.Admit admit) {
        List<Reserve> done = new ArrayList<>();
        Status failed = null;
        try {
            for (Reserve r : policy.reserves()) {
                Status st = r.reserve(request, p);
                if (!st.isSuccess()) {
                    failed = st;
                    break;
                }
                done.add(r);
            }
            for (int i = 0; failed == null && i < policy.permits().size(); i++) {
                Status st = policy.permits().get(i).permit(request, p);
                failed = st.isSuccess() ? null : st;
            }
            if (failed == null) {
                failed = bindSafely(bind, request, p);
            }
        } catch (RuntimeException e) {
            unreserve(request, state, p, done);
            throw e;
        }
        if (failed != null) {
            unreserve(request, state, p, done);
            return toDecision(request.jobId(), failed);
        }
        return admit;
    }

    private static Status bindSafely(BindPort bind, TrainingRequest request, Placement p) {
        try {
            Status st = bind.bind(request, p);
            if (st == null) {
                return Status.error("bind", "bind port returned no status");
            }
            return st.isSuccess() ? null : st;
        } catch (RuntimeException e) {
            return Status.error("bind", "bind failed: " + e.getMessage());
        }
    }

    private static void unreserve(TrainingRequest request, ClusterState state, Placement p, List<Reserve> done) {
        for (int i = done.size() - 1; i >= 0; i--) {
            done.get(i).unreserve(request, p);
        }
        state.removeGuest(request.jobId());
    }

    /**
     * The guests that must leave a GPU so that its training share fits the capacity the policy allows now,
     * in the order they should leave: restartable guests first (a checkpoint and requeue costs them
     * least), newest first within each group (they lose the least progress). Empty when all fit.
     */
    public List<Guest> evictions(GpuId gpu, ClusterState state) {
        GpuState g = state.gpu(gpu).orElseThrow(() -> new IllegalArgumentException("unknown GPU " + gpu));
        int allowed = capacity.capacityPercent(g);
        List<Guest> order = new ArrayList<>(g.guests());
        java.util.Collections.reverse(order);          // guests are kept in admission order: newest last
        order.sort(Comparator.comparing(x -> !x.restartable()));   // stable: keeps newest first per group
        List<Guest> out = new ArrayList<>();
        int used = g.trainingPercent();
        for (Guest x : order) {
            if (used <= allowed) {
                break;
            }
            out.add(x);
            used -= x.mpsPercent();
        }
        return out;
    }

    /** Training share this GPU could still take under the policy (capacity minus its guests), 0..100. */
    public int freePercent(GpuState gpu) {
        return Math.max(0, capacity.capacityPercent(gpu) - gpu.trainingPercent());
    }

    /** Maps a failing stage status to the decision: the one place this mapping lives. */
    static Decision toDecision(String jobId, Status st) {
        String reason = st.plugin().isEmpty() ? st.reason() : st.plugin() + ": " + st.reason();
        return switch (st.code()) {
            case NO_ROOM_NOW, ERROR -> new Decision.Defer(jobId, reason);
            case FORBIDDEN -> new Decision.Reject(jobId, reason, true);
            case NEVER_FITS -> new Decision.Reject(jobId, reason, false);
            case SUCCESS -> throw new IllegalArgumentException("a success is not a refusal");
        };
    }
}
