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
 *   policy        pre-filters                 guests/GPU  capacity             order         scored  share granted
 *   headroom      colocation, share-bounds    limit       headroom (latency)   tightest fit  8       requested
 *   first-fit     colocation, share-bounds    limit       first-fit (shares)   GPU order     1       requested
 *   dedicated     (none)                      1           dedicated            GPU order     1       100%
 *   static-share  colocation, share-bounds    limit       static-share         tightest fit  8       requested
 * </pre>
 * Every policy also gets the pipeline's own checks: memory (a hard constraint, with the reserve and the
 * minimum guest memory of {@code limits}) and the guest limit; see {@link PlacementPolicy.Limits}.
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
        var colocating = List.of(new ColocationRule(policy.colocation()),
                new ShareBounds(l.trainingShareMinPercent(), l.trainingShareMaxPercent()));
        var limits = new PlacementPolicy.Limits(l.maxGuestsPerGpu(), l.memoryReserveMiB(), l.minGuestMemoryMiB());
        var alone = new PlacementPolicy.Limits(1, l.memoryReserveMiB(), l.minGuestMemoryMiB());
        int max = l.trainingShareMaxPercent();
        return switch (plugin) {
            case HEADROOM -> new PlacementPolicy(plugin.key(),
                    new HeadroomCapacity(new HeadroomEstimator(model, policy.margins().sloMargin()),
                            policy.margins().burstMargin(), max),
                    colocating, List.of(), List.of(new TightFit()), List.of(), List.of(), CandidateOrder.TIGHTEST_FIT,
                    SCORED, false, limits);
            case FIRST_FIT -> new PlacementPolicy(plugin.key(), new FirstFitCapacity(model), colocating, List.of(),
                    List.of(), List.of(), List.of(), CandidateOrder.GPU_ORDER, 1, false, limits);
            case DEDICATED -> new PlacementPolicy(plugin.key(), new DedicatedCapacity(), List.of(), List.of(), List.of(),
                    List.of(), List.of(), CandidateOrder.GPU_ORDER, 1, true, alone);
            case STATIC_SHARE -> new PlacementPolicy(plugin.key(),
                    new StaticShareCapacity(policy.placement().staticSharePercent(), max), colocating, List.of(),
                    List.of(new TightFit()), List.of(), List.of(), CandidateOrder.TIGHTEST_FIT, SCORED, false, limits);
        };
    }
}
