package io.gpucolo.node.hooks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The job as Slurm describes it to the Prolog/Epilog (environment variables; SLURM.md section 4, step 4): id, user,
 * node and the GPU indices Slurm allocated ({@code SLURM_JOB_GPUS}, else {@code CUDA_VISIBLE_DEVICES}; empty for
 * MPS-only jobs in the TaskProlog).
 */
record SlurmJob(String jobId, long uid, String user, String node, List<Integer> gpus, String comment) {
    private static final Pattern JOB_ID = Pattern.compile("[0-9]{1,12}");
    private static final Pattern NODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    SlurmJob {
        Objects.requireNonNull(jobId, "jobId");
        gpus = List.copyOf(gpus);
    }

    /** Reads the job from Slurm's variables; missing or garbled ones give a message naming the variable. */
    static SlurmJob fromEnv(Map<String, String> env) {
        String id = env.get("SLURM_JOB_ID");
        if (id == null) {
            id = env.get("SLURM_JOBID");
        }
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("SLURM_JOB_ID is not set: run as Slurm's Prolog, Epilog or TaskProlog");
        }
        if (!JOB_ID.matcher(id.trim()).matches()) {
            throw new IllegalArgumentException("SLURM_JOB_ID='" + id + "' is not a job id");
        }
        long uid = -1;
        String u = env.get("SLURM_JOB_UID");
        if (u != null && !u.isBlank()) {
            try {
                uid = Long.parseLong(u.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("SLURM_JOB_UID='" + u + "' is not a number");
            }
            if (uid < 0 || uid > 4_294_967_294L) {
                throw new IllegalArgumentException("SLURM_JOB_UID=" + u + " out of range");
            }
        }
        String node = env.getOrDefault("SLURMD_NODENAME", "");
        if (!node.isEmpty() && !NODE.matcher(node).matches()) {
            throw new IllegalArgumentException("SLURMD_NODENAME='" + node + "' is not a node name");
        }
        String gpuVar = env.containsKey("SLURM_JOB_GPUS") ? "SLURM_JOB_GPUS" : "CUDA_VISIBLE_DEVICES";
        return new SlurmJob(id.trim(), uid, env.getOrDefault("SLURM_JOB_USER", ""), node,
                indices(gpuVar, env.get(gpuVar)), env.getOrDefault("SLURM_JOB_COMMENT", ""));
    }

    static List<Integer> indices(String var, String value) {
        List<Integer> out = new ArrayList<>();
        if (value == null || value.isBlank() || value.equals("NoDevFiles")) {
            return out;
        }
        for (String part : value.split(",")) {
            try {
                int i = Integer.parseInt(part.trim());
                if (i < 0 || i > 1023) {
                    throw new NumberFormatException();
                }
                out.add(i);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(var + "='" + value + "': expected GPU indices such as 0,2");
            }
        }
        return out;
    }
}
