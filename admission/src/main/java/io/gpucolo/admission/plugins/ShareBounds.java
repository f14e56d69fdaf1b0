package io.gpucolo.admission.plugins;

import io.gpucolo.admission.model.TrainingRequest;
import io.gpucolo.admission.pipeline.PreFilter;
import io.gpucolo.admission.pipeline.Status;
import io.gpucolo.admission.state.ClusterState;

/** Pre-filter: the requested training share must lie within the policy's bounds ({@code limits.training_share_*}). */
final class ShareBounds implements PreFilter {
    private final int minPercent;
    private final int maxPercent;

    ShareBounds(int minPercent, int maxPercent) {
        if (minPercent < 1 || maxPercent > 100 || minPercent > maxPercent) {
            throw new IllegalArgumentException("share bounds must satisfy 1 <= min <= max <= 100, got "
                    + minPercent + ".." + maxPercent);
        }
        this.minPercent = minPercent;
        this.maxPercent = maxPercent;
    }

    @Override
    public String name() {
        return "share-bounds";
    }

    @Override
    public Status preFilter(TrainingRequest request, ClusterState state) {
        int s = request.sharePercent();
        if (s < minPercent || s > maxPercent) {
            return Status.forbidden(name(), "training share " + s + "% is outside the policy's bounds "
                    + minPercent + ".." + maxPercent + "%");
        }
        return Status.success();
    }
}
