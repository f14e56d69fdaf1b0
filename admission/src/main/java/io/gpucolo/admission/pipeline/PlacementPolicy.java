package io.gpucolo.admission.pipeline;

import java.util.List;
import java.util.Objects;

/**
 * One placement policy: the plugins of each stage, in the order they run, and how candidates are offered.
 * Built by {@code io.gpucolo.admission.plugins.Policies} from a policy name.
 *
 * @param name        the policy name ({@code headroom}, {@code first-fit}, {@code dedicated}, {@code static-share})
 * @param capacity    total training share each GPU may hold (drives the index, the capacity filter, evictions)
 * @param preFilters  request-level checks, in order
 * @param filters     per-GPU checks, in order; the capacity filter runs after them
 * @param scores      per-GPU scores, summed
 * @param reserves    extra reservations after the cluster state's own
 * @param permits     last vetoes before bind
 * @param order       the order in which candidates are filtered
 * @param scoreLimit  how many feasible GPUs are scored at most before choosing (1 = take the first that fits)
 * @param wholeGpu    true when an admitted job gets the whole GPU (MPS 100%) whatever share it asked for
 * @param limits      the hard limits every policy keeps (guests per GPU, memory reserve, minimum guest memory)
 */
public record PlacementPolicy(String name, Capacity capacity, List<PreFilter> preFilters, List<Filter> filters,
                              List<Score> scores, List<Reserve> reserves, List<Permit> permits,
                              CandidateOrder order, int scoreLimit, boolean wholeGpu,
                              Limits limits) {
    /**
     * Hard limits the pipeline itself enforces, before any plugin filter: memory (services + guests + job +
     * reserve within the GPU's memory) and guests per GPU.
     *
     * @param maxGuestsPerGpu   at most this many training guests on one GPU
     * @param memoryReserveMiB  memory kept free on every GPU, MiB
     * @param minGuestMemoryMiB a guest's pinned memory limit is raised to at least this, MiB
     */
    public record Limits(int maxGuestsPerGpu, long memoryReserveMiB, long minGuestMemoryMiB) {
        public Limits {
            if (maxGuestsPerGpu < 1) {
                throw new IllegalArgumentException("max guests per GPU must be >= 1, got " + maxGuestsPerGpu);
            }
            if (memoryReserveMiB < 0 || minGuestMemoryMiB < 1) {
                throw new IllegalArgumentException("memory reserve must be >= 0 and min guest memory >= 1 MiB");
            }
        }
    }

    public PlacementPolicy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(capacity, "capacity");
        preFilters = List.copyOf(preFilters);
        filters = List.copyOf(filters);
        scores = List.copyOf(scores);
        reserves = List.copyOf(reserves);
        permits = List.copyOf(permits);
        Objects.requireNonNull(order, "order");
        if (scoreLimit < 1) {
            throw new IllegalArgumentException("policy " + name + ": scoreLimit must be >= 1, got " + scoreLimit);
        }
        Objects.requireNonNull(limits, "limits");
    }

    /** The MPS share an admitted request gets. */
    public int grantedPercent(io.gpucolo.admission.model.TrainingRequest request) {
        return wholeGpu ? 100 : request.sharePercent();
    }

    /** The pinned memory limit an admitted request gets, MiB. */
    public long grantedMemoryMiB(io.gpucolo.admission.model.TrainingRequest request) {
        return Math.max(request.memoryMiB(), limits.minGuestMemoryMiB());
    }

    /** The same policy with extra permit plugins appended (e.g. a site quota). */
    public PlacementPolicy withPermits(List<Permit> more) {
        List<Permit> all = new java.util.ArrayList<>(permits);
        all.addAll(more);
        return new PlacementPolicy(name, capacity, preFilters, filters, scores, reserves, all, order, scoreLimit,
                wholeGpu, limits);
    }

    /** The same policy with extra reserve plugins appended. */
    public PlacementPolicy withReserves(List<Reserve> more) {
        List<Reserve> all = new java.util.ArrayList<>(reserves);
        all.addAll(more);
        return new PlacementPolicy(name, capacity, preFilters, filters, scores, all, permits, order, scoreLimit,
                wholeGpu, limits);
    }
}
