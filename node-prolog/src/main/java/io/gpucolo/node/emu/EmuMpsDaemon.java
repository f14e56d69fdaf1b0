package io.gpucolo.node.emu;

import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The emulated {@code nvidia-cuda-mps-control -d}: listens on {@code $CUDA_MPS_PIPE_DIRECTORY/control.sock}, logs to
 * {@code $CUDA_MPS_LOG_DIRECTORY/control.log}, writes its pid to {@code nvidia-cuda-mps-control.pid} in the pipe
 * directory. Emulated GPU clients ask it for a grant ({@link MpsGrant}); {@code nvidia-cuda-mps-control} (without
 * {@code -d}) forwards the control commands typed on its stdin ({@link MpsCommands}).
 */
final class EmuMpsDaemon {
    static final String PID_FILE = "nvidia-cuda-mps-control.pid";
    private final Path pipeDir;
    private final PrintStream log;
    final MpsState state = new MpsState();
    private boolean quitting;
    private ServerSocketChannel server;

    private final int gpu;

    /** @param gpu the emulated GPU this daemon serves (from its CUDA_VISIBLE_DEVICES), or -1 when not set */
    EmuMpsDaemon(Path pipeDir, PrintStream log, int gpu) {
        this.pipeDir = pipeDir;
        this.log = log;
        this.gpu = gpu;
    }

    void log(String msg) {
        log.println("[" + Instant.now() + "] " + msg);
        log.flush();
    }

    /** Serves until {@code quit}; returns then. */
    void run() throws IOException {
        Files.createDirectories(pipeDir);
        Path sock = pipeDir.resolve(MpsGrant.CONTROL_SOCKET);
        if (Files.exists(sock) && reachable(sock)) {
            throw new IllegalStateException("An instance of this daemon is already running in " + pipeDir);
        }
        Files.deleteIfExists(sock);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(sock));
        Files.setPosixFilePermissions(sock, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.writeString(pipeDir.resolve(PID_FILE), ProcessHandle.current().pid() + "\n");
        log("Starting control daemon, pipe directory " + pipeDir);
        Thread orphan = new Thread(() -> exitWhenGone(sock), "mps-orphan-check");
        orphan.setDaemon(true);
        orphan.start();
        try {
            while (true) {
                SocketChannel ch;
                try {
                    ch = server.accept();
                } catch (IOException e) {
                    break;
                }
                Thread t = new Thread(() -> serve(new LineConnection(ch, "mps-conn")), "mps-conn");
                t.setDaemon(true);
                t.start();
            }
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(pipeDir.resolve(PID_FILE));
            log("Control daemon exited");
        }
    }

    /**
     * A stand-in whose pipe directory was deleted (a test's scratch directory cleaned up) can serve nobody: it closes
     * instead of lingering. NVIDIA's daemon has no such rule; it matters only to emulation.
     */
    private void exitWhenGone(Path sock) {
        while (true) {
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                return;
            }
            if (!Files.exists(sock)) {
                log("Control socket " + sock + " removed; exiting");
                try {
                    server.close();
                } catch (IOException ignored) {
                    // exiting anyway
                }
                return;
            }
        }
    }

    static boolean reachable(Path sock) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void serve(LineConnection conn) {
        try (conn) {
            String line = conn.readLine();
            if (line == null) {
                return;
            }
            if (line.startsWith("CLIENT ")) {
                client(conn, line);
            } else if (line.startsWith("CTL ")) {
                List<String> out;
                synchronized (this) {
                    out = MpsCommands.execute(this, line.substring(4).trim());
                }
                out.forEach(conn::send);
                conn.send("END");
            } else {
                conn.send("ERR unknown request");
            }
        } catch (IOException e) {
            // peer went away
        }
    }

    private void client(LineConnection conn, String line) throws IOException {
        Map<String, String> f;
        long pid;
        MpsState.Server s;
        try {
            f = Wire.fields(line.split("\\s+"), 1);
            pid = Wire.longField(f, "pid", 0);
            long uid = Wire.longField(f, "uid", 0);
            int cap = Wire.intField(f, "cap", 100, 1, 100);
            long mem = Wire.longField(f, "mem", 0);
            int clientGpu = Wire.intField(f, "gpu", 0, 0, 1023);
            int device = gpu >= 0 ? gpu : clientGpu;
            synchronized (this) {
                Optional<MpsState.Server> got;
                boolean waited = false;
                while (!quitting && (got = state.serverFor(uid)).isEmpty()) {
                    if (!waited) {
                        log("Client " + pid + " of user " + uid + " waits: the server of user "
                                + state.active().map(a -> a.uid).orElse(-1L) + " is active");
                        waited = true;
                    }
                    wait();
                }
                if (quitting) {
                    conn.send("ERR the MPS control daemon is shutting down");
                    return;
                }
                s = state.serverFor(uid).orElseThrow();
                Long limit = s.memLimitMiB.get(gpu >= 0 ? 0 : clientGpu);
                if (limit != null && mem > limit) {
                    conn.send("ERR out of memory: client needs " + mem + " MiB, pinned limit " + limit + " MiB");
                    return;
                }
                s.clients.put(pid, conn);
                log("Server " + s.pid + ": new client " + pid + " (uid " + uid + ", cap " + MpsState.effectiveCap(s, cap) + ")");
                conn.send("GRANT server=" + s.pid + " cap=" + MpsState.effectiveCap(s, cap) + " mem_limit="
                        + (limit == null ? 0 : limit) + " gpu=" + device);
            }
        } catch (IllegalArgumentException e) {
            conn.send("ERR " + e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        while (conn.readLine() != null) {
            // the client holds the line open while it lives
        }
        synchronized (this) {
            s.clients.remove(pid);
            log("Server " + s.pid + ": client " + pid + " disconnected");
            notifyAll();
        }
    }

    /** Stops accepting clients; exits once the last client has gone, or after {@code timeoutMs} (0 = no limit). */
    synchronized void quit(long timeoutMs) {
        if (quitting) {
            return;
        }
        quitting = true;
        notifyAll();
        log("Quit requested");
        Thread t = new Thread(() -> {
            long end = timeoutMs > 0 ? System.nanoTime() + timeoutMs * 1_000_000 : Long.MAX_VALUE;
            synchronized (this) {
                while (state.active().map(s -> !s.clients.isEmpty()).orElse(false) && System.nanoTime() < end) {
                    try {
                        wait(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            try {
                server.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }, "mps-quit");
        t.setDaemon(true);
        t.start();
    }

    boolean quitting() {
        return quitting;
    }
}
