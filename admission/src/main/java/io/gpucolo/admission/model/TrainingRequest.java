package io.gpucolo.admission.model;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A training job that asks to be co-located on an inference GPU.
 *
 * @param jobId            the scheduler's job id (Slurm job id, or a trace id in the simulator)
 * @param owner            user name of the submitter
 * @param sharePercent     the MPS active-thread percentage the job wants, 1..100
 * @param memoryMiB        GPU memory the job needs, MiB (a hard limit: enforced through MPS pinned memory)
 * @param expectedDuration expected run time at the requested share
 * @param restartable      whether the job may be checkpointed and restarted (requeued, share changed)
 * @param partition        Slurm partition, or empty
 * @param qos              Slurm QOS, or empty
 * @param account          Slurm account, or empty
 */
public record TrainingRequest(String jobId, String owner, int sharePercent, long memoryMiB, Duration expectedDuration,
                              boolean restartable, String partition, String qos, String account) {
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final Pattern IDENT = Pattern.compile("[A-Za-z0-9._-]{0,64}");

    public TrainingRequest {
        Objects.requireNonNull(jobId, "jobId");
        if (!JOB_ID.matcher(jobId).matches()) {
            throw new IllegalArgumentException("invalid job id '" + jobId + "'");
        }
        Objects.requireNonNull(owner, "owner");
        if (owner.isEmpty() || !IDENT.matcher(owner).matches()) {
            throw new IllegalArgumentException("job " + jobId + ": invalid owner '" + owner + "'");
        }
        if (sharePercent < 1 || sharePercent > 100) {
            throw new IllegalArgumentException("job " + jobId + ": GPU share must be 1..100 percent, got " + sharePercent);
        }
        if (memoryMiB <= 0) {
            throw new IllegalArgumentException("job " + jobId + ": GPU memory must be positive, got " + memoryMiB + " MiB");
        }
        Objects.requireNonNull(expectedDuration, "expectedDuration");
        if (expectedDuration.isNegative() || expectedDuration.isZero()) {
            throw new IllegalArgumentException("job " + jobId + ": expected duration must be positive");
        }
        partition = checkIdent(jobId, "partition", partition);
        qos = checkIdent(jobId, "qos", qos);
        account = checkIdent(jobId, "account", account);
    }

    private static String checkIdent(String jobId, String what, String v) {
        String s = v == null ? "" : v;
        if (!IDENT.matcher(s).matches()) {
            throw new IllegalArgumentException("job " + jobId + ": invalid " + what + " '" + s + "'");
        }
        return s;
    }
}
