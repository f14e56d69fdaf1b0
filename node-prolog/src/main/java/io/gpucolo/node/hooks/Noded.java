package io.gpucolo.node.hooks;

import io.gpucolo.node.noded.JobRegistration;
import io.gpucolo.node.noded.NodedClient;
import io.gpucolo.node.noded.NodedException;

/**
 * The hooks' calls to noded, each bounded by the configured timeout. An unreachable noded is logged and the hook
 * goes on: the job then runs unthrottled, and noded's absence is what reports the node.
 */
final class Noded {
    private final NodedClient client;
    private final HookLog log;

    Noded(HookConfig cfg, HookLog log) {
        this.client = new NodedClient(cfg.nodedSocket(), cfg.nodedTimeout());
        this.log = log;
    }

    void register(JobRegistration job) {
        try {
            client.register(job);
            log.info("registered with noded (GPU " + job.gpu() + ", " + job.role() + ")");
        } catch (NodedException | RuntimeException e) {
            log.warn("noded: " + e.getMessage() + "; the job runs unthrottled");
        }
    }

    /** Deregisters (noded resumes the job's processes first); returns the number it resumed, 0 when unreachable. */
    int deregister(String jobId) {
        try {
            return client.deregister(jobId);
        } catch (NodedException | RuntimeException e) {
            log.warn("noded: " + e.getMessage() + "; resuming the job's processes here");
            return 0;
        }
    }
}
