package io.gpucolo.node.hooks;

import java.util.ArrayList;
import java.util.List;

/**
 * The TaskProlog's {@code export NAME=value} lines for a co-located job (pure). Under MPS the job sees its GPU as
 * device 0: the GPU's MPS daemon is started with {@code CUDA_VISIBLE_DEVICES=N}, and an MPS client enumerates the
 * devices of its server. Outside MPS (time-sliced) it gets {@code CUDA_VISIBLE_DEVICES=N} and an empty pipe
 * directory, so CUDA finds no MPS daemon and runs a context of its own.
 */
final class TaskExports {
    private TaskExports() {
    }

    static List<String> lines(JobFile job, HookConfig cfg) {
        List<String> out = new ArrayList<>();
        if (job.mps()) {
            out.add("export CUDA_VISIBLE_DEVICES=0");
            out.add("export CUDA_MPS_PIPE_DIRECTORY=" + cfg.mps().pipe(job.gpu()));
            out.add("export CUDA_MPS_LOG_DIRECTORY=" + cfg.mps().log(job.gpu()));
            out.add("export CUDA_MPS_ACTIVE_THREAD_PERCENTAGE=" + job.share());
            if (job.role() == Decision.Role.TRAINING) {
                out.add("export CUDA_MPS_PINNED_DEVICE_MEM_LIMIT=0=" + job.memMiB() + "M");
            }
        } else {
            out.add("export CUDA_VISIBLE_DEVICES=" + job.gpu());
            out.add("export CUDA_MPS_PIPE_DIRECTORY=" + cfg.noMpsDir(job.jobId()));
        }
        if (job.role() == Decision.Role.TRAINING) {
            out.add("export GPUCOLO_LAUNCHER_SOCKET=" + cfg.launcherDir(job.jobId()).resolve("launcher.sock"));
        }
        out.add("export GPUCOLO_GPU=" + job.gpu());
        return out;
    }
}
