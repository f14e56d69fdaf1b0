package io.gpucolo.admission.explain;

import io.gpucolo.admission.inventory.ClusterFile;
import io.gpucolo.admission.inventory.InventoryException;
import io.gpucolo.admission.latency.LatencyModel;
import io.gpucolo.admission.model.TrainingRequest;
import io.gpucolo.admission.pipeline.Admission;
import io.gpucolo.admission.pipeline.Evaluation;
import io.gpucolo.admission.pipeline.PlacementPolicy;
import io.gpucolo.admission.plugins.Policies;
import io.gpucolo.admission.policy.LatencyFloor;
import io.gpucolo.admission.policy.LoadResult;
import io.gpucolo.admission.policy.Policy;
import io.gpucolo.admission.policy.PolicyLoader;
import io.gpucolo.admission.yaml.Problem;
import io.gpucolo.admission.state.ClusterState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A dry run of admission: the production pipeline on a cluster state read from a file, without side effects.
 * {@code gpucolo explain} uses it for its file mode; a daemon-side explain builds the state its own way and
 * calls {@link #evaluate(Policy, String, ClusterState, TrainingRequest)}.
 */
public final class DryRun {
    private final LatencyModel model;

    public DryRun(LatencyModel model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    /**
     * Reads the policy file ({@code null}: the built-in defaults), refusing it with every problem found.
     *
     * @throws InventoryException with one {@code FILE:LINE:COLUMN: message} line per problem
     */
    public Policy policy(Path file) {
        if (file == null) {
            return Policy.defaults();
        }
        LoadResult r = new PolicyLoader(LatencyFloor.of(model, List.of("A100-80GB"))).load(file);
        if (r instanceof LoadResult.Valid v) {
            return v.loaded().policy();
        }
        List<String> lines = new ArrayList<>();
        for (Problem p : ((LoadResult.Invalid) r).problems()) {
            lines.add(p.toString());
        }
        throw new InventoryException(lines);
    }

    /** Reads a cluster-state file whose residents may name the policy's services. */
    public ClusterState cluster(Path file, Policy policy) {
        return ClusterFile.read(file, policy.services()).state();
    }

    /**
     * Evaluates the request with the policy's placement plugin, or {@code placement} when not null.
     *
     * @throws IllegalArgumentException for an unknown placement name
     */
    public Evaluation evaluate(Policy policy, String placement, ClusterState state, TrainingRequest request) {
        PlacementPolicy p = placement == null ? Policies.from(policy, model) : Policies.byName(placement, policy, model);
        return new Admission(p).evaluate(request, state);
    }
}
