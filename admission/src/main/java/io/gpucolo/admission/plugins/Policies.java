package io.gpucolo.admission.plugins;

import io.gpucolo.admission.headroom.HeadroomEstimator;
import io.gpucolo.admission.latency.LatencyModel;
import io.gpucolo.admission.pipeline.CandidateOrder;
import io.gpucolo.admission.pipeline.PlacementPolicy;
import io.gpucolo.admission.policy.PlacementPlugin;
import io.gpucolo.admission.policy.Policy;
import java.util.List;
import java.util.Objects;

/**
 * Builds the placement pipeline of each policy from the policy file. Which stages each runs:
 * <pre>
 *   policy        pre-filters                           filters           capacity             order         scored
 *   headroom      colocation, share-bounds, memory      memory, guests    headroom (latency)   tightest fit  8
 *   first-fit     colocation, share-bounds, memory      memory, guests    first-fit (shares)   GPU order     1
 *   dedicated     memory                                memory, guests=1  dedicated            GPU order     1
 *   static-share  colocation, share-bounds, memory      memory, guests    static-share         tightest fit  8
 * </pre>
 */
public final class Policies {
    /** How many feasible GPUs the best-fit policies score before choosing. */
    static final int SCORED = 8;

    private Policies() {
    }

    /** The policy the file names in {@code placement.plugin}. */
    public static PlacementPolicy from(Policy policy, LatencyModel model) {
        return of(policy.placement().plugin(), policy, model);
    }

    /** A policy by its file name ({@code headroom}, {@code first-fit}, {@code dedicated}, {@code static-share}). */
    public static PlacementPolicy byName(String name, Policy policy, LatencyModel model) {
        PlacementPlugin p = PlacementPlugin.fromKey(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown placement policy '" + name + "'; known: " + names()));
        return of(p, policy, model);
    }

    public static List<String> names() {
        return java.util.Arrays.stream(PlacementPlugin.values()).map(PlacementPlugin::key).toList();
    }

    static PlacementPolicy of(PlacementPlugin plugin, Policy policy, LatencyModel model) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(model, "model");
        Policy.Limits l = policy.limits();
        var memoryCeiling = new MemoryCeiling(l.memoryReserveMiB(), l.minGuestMemoryMiB());
        var colocating = List.of(new ColocationRule(policy.colocation()),
                new ShareBounds(l.trainingShareMinPercent(), l.trainingShareMaxPercent()), memoryCeiling);
        var memory = new MemoryFit(l.memoryReserveMiB(), l.minGuestMemoryMiB());
        var filters = List.of(memory, new GuestLimit(l.maxGuestsPerGpu()));
        int max = l.trainingShareMaxPercent();
        return switch (plugin) {
            case HEADROOM -> new PlacementPolicy(plugin.key(),
                    new HeadroomCapacity(new HeadroomEstimator(model, policy.margins().sloMargin()),
                            policy.margins().burstMargin(), max),
                    colocating, filters, List.of(new TightFit()), List.of(), List.of(), CandidateOrder.TIGHTEST_FIT,
                    SCORED, false, l.minGuestMemoryMiB());
            case FIRST_FIT -> new PlacementPolicy(plugin.key(), new FirstFitCapacity(model), colocating, filters,
                    List.of(), List.of(), List.of(), CandidateOrder.GPU_ORDER, 1, false, l.minGuestMemoryMiB());
            case DEDICATED -> new PlacementPolicy(plugin.key(), new DedicatedCapacity(), List.of(memoryCeiling),
                    List.of(memory, new GuestLimit(1)), List.of(), List.of(), List.of(), CandidateOrder.GPU_ORDER, 1,
                    true, l.minGuestMemoryMiB());
            case STATIC_SHARE -> new PlacementPolicy(plugin.key(),
                    new StaticShareCapacity(policy.placement().staticSharePercent(), max), colocating, filters,
                    List.of(new TightFit()), List.of(), List.of(), CandidateOrder.TIGHTEST_FIT, SCORED, false,
                    l.minGuestMemoryMiB());
        };
    }
}
