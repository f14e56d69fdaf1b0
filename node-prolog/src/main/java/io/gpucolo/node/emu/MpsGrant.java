package io.gpucolo.node.emu;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A client's admission by the emulated MPS control daemon: the server it joins, its effective cap (the tighter of
 * the server's active-thread percentage and the client's own) and the pinned-memory limit. The connection stays open
 * for the client's lifetime, like an MPS client's link to its server; {@code terminate_client} on the daemon ends the
 * process with exit code 1, as a CUDA error would. The request may wait while another user's server is active (MPS
 * runs one server per user at a time).
 */
final class MpsGrant implements AutoCloseable {
    static final String CONTROL_SOCKET = "control.sock";
    private final LineConnection conn;
    private final long serverPid;
    private final int capPercent;

    private final int gpu;

    private MpsGrant(LineConnection conn, long serverPid, int capPercent, int gpu) {
        this.conn = conn;
        this.serverPid = serverPid;
        this.capPercent = capPercent;
        this.gpu = gpu;
    }

    /** The emulated GPU the server runs on (a client's device 0 under MPS is the server's device). */
    int gpu() {
        return gpu;
    }

    static MpsGrant request(Path pipeDir, long pid, int cap, long memoryMiB, int gpu) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(pipeDir.resolve(CONTROL_SOCKET)));
        } catch (IOException e) {
            ch.close();
            throw new IOException("MPS control daemon in " + pipeDir + " not reachable: " + e.getMessage(), e);
        }
        LineConnection conn = new LineConnection(ch, "mps-client");
        long uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        conn.send("CLIENT pid=" + pid + " uid=" + uid + " cap=" + cap + " mem=" + memoryMiB + " gpu=" + gpu);
        String reply = conn.readLine();
        if (reply == null || !reply.startsWith("GRANT ")) {
            conn.close();
            throw new IOException("MPS refused the client: " + (reply == null ? "daemon closed the connection" : reply));
        }
        Map<String, String> f = Wire.fields(reply.split(" "), 1);
        MpsGrant g = new MpsGrant(conn, Long.parseLong(f.get("server")), Integer.parseInt(f.get("cap")),
                Integer.parseInt(f.getOrDefault("gpu", Integer.toString(gpu))));
        Thread watcher = new Thread(g::watch, "mps-client-watch");
        watcher.setDaemon(true);
        watcher.start();
        return g;
    }

    private void watch() {
        try {
            String line;
            while ((line = conn.readLine()) != null) {
                if (line.startsWith("TERMINATE")) {
                    System.err.println("CUDA error: the MPS client was terminated by the MPS control daemon");
                    System.err.flush();
                    Runtime.getRuntime().halt(1);
                }
            }
        } catch (IOException e) {
            // daemon gone: the client keeps running, as it does when the control daemon (not the server) exits
        }
    }

    long serverPid() {
        return serverPid;
    }

    int capPercent() {
        return capPercent;
    }

    @Override
    public void close() {
        conn.close();
    }
}
