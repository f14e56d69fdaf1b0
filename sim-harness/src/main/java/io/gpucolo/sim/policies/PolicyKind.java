package io.gpucolo.sim.policies;

import java.util.Arrays;
import java.util.Locale;

/**
 * The placement-and-control policies one run compares, by their command-line names.
 * <ul>
 *   <li>{@code dedicated}: no co-location, one task per GPU (the paper's "no co-location");</li>
 *   <li>{@code separate-5to1}: separate inference and training pools sized 5:1 and provisioned for the peak,
 *       one task per GPU; training queues when its pool is full;</li>
 *   <li>{@code gslice}: inference tasks share GPUs among themselves (first-fit, each capped at its requested MPS
 *       share), training gets whole GPUs;</li>
 *   <li>{@code first-fit}: every task first-fit on (share, memory), training runs at its requested share, no control;</li>
 *   <li>{@code gpucolo-paper}: first-fit plus the paper's two-tier control (4 s / 100 s, mean latency, fixed gains);</li>
 *   <li>{@code headroom}: ours: inference SLO-aware first-fit, training placed by the admission pipeline's headroom
 *       policy (tail-latency SLO, services planned at the forecast load), with our inner (1 s, p99, online RLS) and
 *       outer laws.</li>
 * </ul>
 */
public enum PolicyKind {
    DEDICATED("dedicated"),
    SEPARATE("separate-5to1"),
    GSLICE("gslice"),
    FIRST_FIT("first-fit"),
    PAPER("gpucolo-paper"),
    HEADROOM("headroom");

    private final String key;

    PolicyKind(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static PolicyKind parse(String name) {
        for (PolicyKind k : values()) {
            if (k.key.equals(name.strip().toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown policy '" + name + "'; known: "
                + Arrays.stream(values()).map(PolicyKind::key).toList());
    }

    /** Whether a two-tier controller runs on co-located GPUs. */
    public boolean controlled() {
        return this == PAPER || this == HEADROOM;
    }

    /** Pools: 1 (everything in one) or 2 (pool 0 inference or shared, pool 1 training-only). */
    public int pools() {
        return this == SEPARATE || this == GSLICE || this == HEADROOM ? 2 : 1;
    }

    /** Pool of a task of this kind. */
    public int poolOf(boolean inference) {
        return pools() == 1 || inference ? 0 : 1;
    }

    /** Whether a task takes a whole GPU regardless of its share. */
    public boolean wholeGpu(boolean inference) {
        return this == DEDICATED || this == SEPARATE || (this == GSLICE && !inference);
    }

    /**
     * The MPS share an inference task runs with: its requested slice under {@code gslice} (GSLICE sizes each
     * inference process's share), 100% elsewhere (the paper: inference always keeps 100%).
     */
    public int inferencePercent(int requestedShare) {
        return this == GSLICE ? requestedShare : 100;
    }

    /** Whether packing may put a training task on a GPU that holds inference. */
    public boolean colocates() {
        return this == FIRST_FIT || this == PAPER || this == HEADROOM;
    }
}
