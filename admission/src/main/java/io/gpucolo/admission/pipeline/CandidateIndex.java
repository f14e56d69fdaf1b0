package io.gpucolo.admission.pipeline;

import io.gpucolo.admission.state.ClusterState;
import java.util.BitSet;
import java.util.function.IntPredicate;

/**
 * The GPUs of one cluster state indexed by free training share under one capacity: for each GPU the share
 * it could still take (capacity minus its guests' shares), and for each free share 0..100 the set of GPUs
 * that have it. Only GPUs changed since the last query are recomputed (the state's change feed), so a
 * decision touches the capacity model for the GPUs the last decisions changed, not for the whole cluster.
 *
 * <p>Queries are serialized; the values they yield may be stale by the time a filter looks at them, which
 * is harmless: filters re-read each GPU's current value and the reservation re-checks it atomically.
 */
final class CandidateIndex {
    private static final int SHARES = 101;

    private final ClusterState state;
    private final Capacity capacity;
    private final ClusterState.ChangeFeed feed;
    private final int[] free;
    private final BitSet[] byFree = new BitSet[SHARES];

    CandidateIndex(ClusterState state, Capacity capacity) {
        this.state = state;
        this.capacity = capacity;
        this.feed = state.subscribe();
        this.free = new int[state.gpuCount()];
        java.util.Arrays.fill(free, -1);
        for (int i = 0; i < SHARES; i++) {
            byFree[i] = new BitSet();
        }
    }

    /**
     * Offers the ordinals of GPUs whose free share is at least {@code minFree}, in the given order, to
     * {@code visit} until it returns false.
     *
     * @return how many GPUs were offered
     */
    synchronized int forEach(int minFree, CandidateOrder order, IntPredicate visit) {
        refresh();
        int offered = 0;
        if (order == CandidateOrder.GPU_ORDER) {
            for (int i = 0; i < free.length; i++) {
                if (free[i] >= minFree) {
                    offered++;
                    if (!visit.test(i)) {
                        return offered;
                    }
                }
            }
            return offered;
        }
        for (int f = Math.max(0, minFree); f < SHARES; f++) {
            BitSet b = byFree[f];
            for (int i = b.nextSetBit(0); i >= 0; i = b.nextSetBit(i + 1)) {
                offered++;
                if (!visit.test(i)) {
                    return offered;
                }
            }
        }
        return offered;
    }

    /** The free share of a GPU as of the last refresh. */
    synchronized int freePercent(int ordinal) {
        refresh();
        return free[ordinal];
    }

    private void refresh() {
        BitSet changed = feed.drain();
        for (int i = changed.nextSetBit(0); i >= 0; i = changed.nextSetBit(i + 1)) {
            var g = state.at(i);
            int f = Math.max(0, capacity.capacityPercent(g) - g.trainingPercent());
            if (free[i] >= 0) {
                byFree[free[i]].clear(i);
            }
            free[i] = f;
            byFree[f].set(i);
        }
    }
}
