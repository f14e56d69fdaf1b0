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
    private final java.nio.file.Path socket;

    Noded(HookConfig cfg, HookLog log) {
        this.client = new NodedClient(cfg.nodedSocket(), cfg.nodedTimeout());
        this.log = log;
        this.socket = cfg.nodedSocket();
    }

    /**
     * Starts, on a daemon thread, what the first Unix-domain socket of a JVM costs (the JDK seeds a SecureRandom and
     * loads the socket classes: about 25-45 ms of a hook), so that it overlaps the hook's other work (scontrol, files)
     * on a second core. Nothing is connected or sent; without a socket file (noded absent) nothing is done.
     */
    static void prewarm(HookConfig cfg) {
        if (!java.nio.file.Files.exists(cfg.nodedSocket())) {
            return;
        }
        Thread t = new Thread(() -> {
            try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
                ch.isOpen();
            } catch (java.io.IOException | RuntimeException e) {
                // the real call reports any problem
            }
        }, "gpucolo-hook-prewarm");
        t.setDaemon(true);
        t.start();
    }

    /** No socket file: noded is not running; say so without paying for a connection attempt. */
    private boolean absent() {
        if (java.nio.file.Files.exists(socket)) {
            return false;
        }
        log.warn("noded is not running (no socket " + socket + ")");
        return true;
    }

    void register(JobRegistration job) {
        if (absent()) {
            log.warn("the job runs unthrottled");
            return;
        }
        try {
            client.register(job);
            log.info("registered with noded (GPU " + job.gpu() + ", " + job.role() + ")");
        } catch (NodedException | RuntimeException e) {
            log.warn("noded: " + e.getMessage() + "; the job runs unthrottled");
        }
    }

    /**
     * Deregisters (noded resumes the job's processes first); returns the number it resumed, or -1 when noded did not
     * confirm (absent or unreachable): then the caller resumes the job's stopped processes itself.
     */
    int deregister(String jobId) {
        if (absent()) {
            return -1;
        }
        try {
            return client.deregister(jobId);
        } catch (NodedException | RuntimeException e) {
            log.warn("noded: " + e.getMessage() + "; resuming the job's processes here");
            return -1;
        }
    }
}
