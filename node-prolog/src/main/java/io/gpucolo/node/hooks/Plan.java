package io.gpucolo.node.hooks;

import java.util.List;
import java.util.Objects;

/** What the prolog will do for one job: leave it alone, or set it up on a co-located GPU. */
sealed interface Plan {
    String jobId();

    /** Not a co-located job (no gpucolo decision, or one the node does not act on): nothing to do. */
    record Skip(String jobId, String reason) implements Plan {
    }

    /**
     * Set the job up on GPU {@code gpu}.
     *
     * @param mps      true: the job joins the GPU's MPS server; false: it runs outside MPS, time-sliced (another
     *                 user's MPS server serves the GPU: MPS runs one server per user at a time)
     * @param warnings what the log should say about mismatches and degraded modes
     */
    record Colocate(String jobId, long uid, int gpu, Decision decision, boolean mps, List<String> warnings)
            implements Plan {
        public Colocate {
            Objects.requireNonNull(decision, "decision");
            warnings = List.copyOf(warnings);
        }

        JobFile jobFile() {
            return new JobFile(jobId, uid, gpu, decision.role(), decision.share(), decision.memMiB(), mps,
                    decision.service());
        }
    }
}
