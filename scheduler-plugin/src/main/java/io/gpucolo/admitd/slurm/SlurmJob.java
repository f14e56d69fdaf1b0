package io.gpucolo.admitd.slurm;

import java.util.List;
import java.util.Objects;

/**
 * One job as {@code squeue --json} shows it, reduced to what admitd needs.
 *
 * @param jobId        Slurm job id
 * @param state        job state ({@code PENDING}, {@code RUNNING}, {@code SUSPENDED}, ...)
 * @param reason       state reason ({@code JobHeldAdmin}, {@code Resources}, ...)
 * @param user         user name
 * @param adminComment admin comment (gpucolo writes its decision here), or empty
 * @param tresPerNode  requested per-node TRES (e.g. {@code gres:mps:g2:30}), or empty
 * @param nodes        allocated nodes (running) or empty
 * @param gresDetail   allocated GRES with indexes (e.g. {@code mps:g2:30(IDX:2)})
 */
public record SlurmJob(String jobId, String state, String reason, String user, String adminComment,
                       String tresPerNode, String nodes, List<String> gresDetail) {
    public SlurmJob {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(state, "state");
        reason = reason == null ? "" : reason;
        user = user == null ? "" : user;
        adminComment = adminComment == null ? "" : adminComment;
        tresPerNode = tresPerNode == null ? "" : tresPerNode;
        nodes = nodes == null ? "" : nodes;
        gresDetail = List.copyOf(gresDetail);
    }

    /** Pending, running, suspended or completing: the job still holds or waits for its GPU. */
    public boolean live() {
        return switch (state) {
            case "PENDING", "RUNNING", "SUSPENDED", "COMPLETING", "CONFIGURING", "REQUEUED", "RESIZING" -> true;
            default -> false;
        };
    }

    public boolean held() {
        return state.equals("PENDING") && reason.startsWith("JobHeld");
    }
}
