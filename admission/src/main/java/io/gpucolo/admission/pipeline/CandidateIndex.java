package io.gpucolo.admission.pipeline;

import io.gpucolo.admission.state.ClusterState;
import io.gpucolo.admission.state.GpuState;
import java.util.Arrays;
import java.util.BitSet;
import java.util.function.IntPredicate;

/**
 * The GPUs of one cluster state indexed for one policy: for each GPU the training share it could still take
 * (capacity minus its guests' shares; 0 when it holds the most guests allowed) and the memory it has free
 * (less the reserve), and for each free share 0..100 the set of GPUs that have it. Only GPUs changed since
 * the last query are recomputed (the state's change feed), so a decision touches the capacity model for the
 * GPUs the last decisions changed, not for the whole cluster; GPUs short of share or memory are skipped
 * without running a filter.
 *
 * <p>Queries are serialized; the values they yield may be stale by the time a filter looks at them, which
 * is harmless: filters re-read each GPU's current value and the reservation re-checks it atomically.
 */
final class CandidateIndex {
    private static final int SHARES = 101;

    /** How one query went: GPUs offered to the visitor, and GPUs skipped for share (or guests) and for memory. */
    record Sweep(int offered, int shortOfShare, int shortOfMemory) { }

    private final ClusterState state;
    private final Capacity capacity;
    private final PlacementPolicy.Limits limits;
    private final ClusterState.ChangeFeed feed;
    private final int[] free;
    private final long[] freeMemory;
    private final BitSet[] byFree = new BitSet[SHARES];

    CandidateIndex(ClusterState state, Capacity capacity, PlacementPolicy.Limits limits) {
        this.state = state;
        this.capacity = capacity;
        this.limits = limits;
        this.feed = state.subscribe();
        this.free = new int[state.gpuCount()];
        this.freeMemory = new long[state.gpuCount()];
        Arrays.fill(free, -1);
        for (int i = 0; i < SHARES; i++) {
            byFree[i] = new BitSet();
        }
    }

    /**
     * Offers the ordinals of GPUs with at least {@code minFree} share and {@code minMemoryMiB} memory free, in
     * the given order, to {@code visit} until it returns false.
     */
    synchronized Sweep forEach(int minFree, long minMemoryMiB, CandidateOrder order, IntPredicate visit) {
        refresh();
        int[] counts = new int[3];      // seen (enough share), offered, short of memory
        if (order == CandidateOrder.GPU_ORDER) {
            for (int i = 0; i < free.length; i++) {
                if (free[i] >= minFree && !offer(i, minMemoryMiB, visit, counts)) {
                    return new Sweep(counts[1], 0, 0);
                }
            }
        } else {
            for (int f = Math.max(0, minFree); f < SHARES; f++) {
                BitSet b = byFree[f];
                for (int i = b.nextSetBit(0); i >= 0; i = b.nextSetBit(i + 1)) {
                    if (!offer(i, minMemoryMiB, visit, counts)) {
                        return new Sweep(counts[1], 0, 0);
                    }
                }
            }
        }
        return new Sweep(counts[1], free.length - counts[0], counts[2]);
    }

    /** Offers one GPU with enough share unless it is short of memory; false when the visitor is done. */
    private boolean offer(int i, long minMemoryMiB, IntPredicate visit, int[] counts) {
        counts[0]++;
        if (freeMemory[i] < minMemoryMiB) {
            counts[2]++;
            return true;
        }
        counts[1]++;
        return visit.test(i);
    }

    private void refresh() {
        BitSet changed = feed.drain();
        for (int i = changed.nextSetBit(0); i >= 0; i = changed.nextSetBit(i + 1)) {
            GpuState g = state.at(i);
            int f = g.guests().size() >= limits.maxGuestsPerGpu() ? 0
                    : Math.max(0, capacity.capacityPercent(g) - g.trainingPercent());
            if (free[i] >= 0) {
                byFree[free[i]].clear(i);
            }
            free[i] = f;
            byFree[f].set(i);
            freeMemory[i] = g.gpu().memoryMiB() - limits.memoryReserveMiB() - g.usedMemoryMiB();
        }
    }
}
