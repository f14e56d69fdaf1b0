package io.gpucolo.node.hooks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Computes the prolog's plan from Slurm's view of the job, its admission decision and the jobs already using the
 * GPU's MPS daemon. Pure: no files, no processes.
 * <p>Rules: no co-location decision: skip. The GPU is the one Slurm allocated when it says (typed GRES makes it
 * the decision's GPU; a mismatch is logged and Slurm wins, since that is the device the job can open). MPS runs one
 * server per user: if the GPU's MPS daemon already serves jobs of another user, this job runs outside MPS,
 * time-sliced with a warning, rather than block at CUDA initialisation until the other user's jobs have all ended.
 */
final class Planner {
    private Planner() {
    }

    /**
     * @param mpsUsers uid of each job already registered on the decision's GPU under MPS, by job id
     */
    static Plan prolog(SlurmJob job, Optional<String> adminComment, Map<String, Long> mpsUsers) {
        Optional<Decision> d = Decision.parse(adminComment.orElse(null));
        if (d.isEmpty()) {
            return new Plan.Skip(job.jobId(), adminComment.isEmpty() ? "no admin comment"
                    : "not a co-location decision: '" + adminComment.get() + "'");
        }
        Decision decision = d.get();
        if (job.uid() < 0) {
            throw new IllegalArgumentException("SLURM_JOB_UID is not set for co-located job " + job.jobId());
        }
        List<String> warnings = new ArrayList<>();
        int gpu = decision.gpu().index();
        if (!job.gpus().isEmpty() && !job.gpus().contains(gpu)) {
            warnings.add("decision names GPU " + gpu + " but Slurm allocated " + job.gpus() + "; using GPU " + job.gpus().get(0));
            gpu = job.gpus().get(0);
        }
        if (!job.node().isEmpty() && !job.node().equals(decision.gpu().node())) {
            warnings.add("decision names node " + decision.gpu().node() + " but this is " + job.node());
        }
        boolean mps = true;
        for (Map.Entry<String, Long> e : mpsUsers.entrySet()) {
            if (!e.getKey().equals(job.jobId()) && e.getValue() != job.uid()) {
                mps = false;
                warnings.add("GPU " + gpu + "'s MPS server serves uid " + e.getValue() + " (job " + e.getKey()
                        + "); MPS runs one server per user, so job " + job.jobId() + " (uid " + job.uid()
                        + ") runs outside MPS, time-sliced, and its share is not enforced by MPS");
                break;
            }
        }
        return new Plan.Colocate(job.jobId(), job.uid(), gpu, decision, mps, warnings);
    }
}
