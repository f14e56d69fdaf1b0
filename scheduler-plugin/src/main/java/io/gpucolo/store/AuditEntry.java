package io.gpucolo.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of the append-only decision audit log.
 *
 * @param seq            the writer's sequence number (admitd's journal), unique in the log; 0 when none. A
 *                       row whose seq is already stored is skipped, so a replay after a crash stores nothing twice
 * @param decisionId     the decision's own id (decisions are taken before Slurm assigns a job id); may be empty
 * @param jobId          the Slurm job id, empty until known (a later {@code bind} row links the two)
 * @param at             when it was decided, from the caller's clock
 * @param kind           {@code admit}, {@code defer}, {@code reject}, {@code bind}, {@code evict}, {@code release}, ...
 * @param reason         why, in words an admin reads in {@code gpucolo explain}
 * @param placement      where, e.g. {@code vm:g1 mps=30 mem=4096}; empty when none
 * @param policyVersion  the version of the policy that decided ({@code LoadedPolicy.version()})
 * @param inputs         what the decision saw, encoded by the writer (e.g. JSON); at most 65,536 characters
 */
public record AuditEntry(long seq, String decisionId, String jobId, Instant at, String kind, String reason,
                         String placement, String policyVersion, String inputs) {
    public AuditEntry {
        if (seq < 0) {
            throw new IllegalArgumentException("audit seq must be >= 0, got " + seq);
        }
        Text.check("decision id", decisionId, 0, 64);
        Text.check("job id", jobId, 0, 128);
        Objects.requireNonNull(at, "at");
        Text.check("kind", kind, 1, 16);
        Text.check("reason", reason, 0, 4000);
        Text.check("placement", placement, 0, 256);
        Text.check("policy version", policyVersion, 1, 64);
        Text.check("inputs", inputs, 0, 65536);
    }
}
