package io.gpucolo.admission.model;

import java.util.Objects;

/**
 * The outcome of admission for one training request: a closed set. Map it to Slurm return codes and
 * user messages in exactly one adapter.
 */
public sealed interface Decision permits Decision.Admit, Decision.Defer, Decision.Reject {
    String jobId();

    /** Admitted: run the job with this placement. */
    record Admit(String jobId, Placement placement) implements Decision {
        public Admit {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(placement, "placement");
            if (!placement.jobId().equals(jobId)) {
                throw new IllegalArgumentException("placement is for " + placement.jobId() + ", not " + jobId);
            }
        }
    }

    /** No room now; the job waits and is re-packed when headroom appears. */
    record Defer(String jobId, String reason) implements Decision {
        public Defer {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Refused. {@code couldEverSucceed} is false when no state of the cluster would admit the request as
     * written (e.g. more memory than any GPU has); true when the refusal depends on the current state or
     * limits an admin could change.
     */
    record Reject(String jobId, String reason, boolean couldEverSucceed) implements Decision {
        public Reject {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
