package io.gpucolo.admission.plugins;

import io.gpucolo.admission.model.TrainingRequest;
import io.gpucolo.admission.pipeline.PreFilter;
import io.gpucolo.admission.pipeline.Status;
import io.gpucolo.admission.policy.Policy;
import io.gpucolo.admission.state.ClusterState;

/** Pre-filter: only jobs of the partitions, QOS and accounts the policy names may be co-located. */
final class ColocationRule implements PreFilter {
    private final Policy.Colocation colocation;

    ColocationRule(Policy.Colocation colocation) {
        this.colocation = colocation;
    }

    @Override
    public String name() {
        return "colocation";
    }

    @Override
    public Status preFilter(TrainingRequest r, ClusterState state) {
        if (colocation.permits(r.partition(), r.qos(), r.account())) {
            return Status.success();
        }
        return Status.forbidden(name(), "partition '" + r.partition() + "', QOS '" + r.qos() + "', account '"
                + r.account() + "' may not co-locate training (allowed: partitions " + colocation.partitions()
                + ", QOS " + colocation.qos() + ", accounts " + colocation.accounts() + ")");
    }
}
