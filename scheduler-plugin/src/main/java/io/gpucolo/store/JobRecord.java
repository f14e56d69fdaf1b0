package io.gpucolo.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A job as the store keeps it.
 *
 * @param service       the service name for {@link JobKind#SERVICE} jobs, empty for training
 * @param state         free-form lifecycle state, e.g. {@code pending}, {@code deferred}, {@code running}, {@code done}
 * @param sharePercent  training: MPS share asked for (0 for services)
 * @param memoryMiB     training: GPU memory asked for (0 for services)
 */
public record JobRecord(String jobId, JobKind kind, String owner, String service, String state, int sharePercent,
                        long memoryMiB, boolean restartable, String partition, String qos, String account,
                        Instant submitted, Instant updated) {
    public JobRecord {
        Text.check("job id", jobId, 1, 128);
        Objects.requireNonNull(kind, "kind");
        Text.check("owner", owner, 1, 64);
        Text.check("service", service, 0, 64);
        Text.check("state", state, 1, 16);
        if (sharePercent < 0 || sharePercent > 100) {
            throw new IllegalArgumentException("job " + jobId + ": share must be 0..100, got " + sharePercent);
        }
        if (memoryMiB < 0) {
            throw new IllegalArgumentException("job " + jobId + ": memory must be >= 0");
        }
        Text.check("partition", partition, 0, 64);
        Text.check("qos", qos, 0, 64);
        Text.check("account", account, 0, 64);
        Objects.requireNonNull(submitted, "submitted");
        Objects.requireNonNull(updated, "updated");
    }

    public JobRecord withState(String newState, Instant at) {
        return new JobRecord(jobId, kind, owner, service, newState, sharePercent, memoryMiB, restartable, partition,
                qos, account, submitted, at);
    }
}
