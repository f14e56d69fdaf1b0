package io.gpucolo.node.launcher;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What noded calls to drive a {@code gpucolo run} launcher over its Unix socket (path: the job's
 * {@code GPUCOLO_LAUNCHER_SOCKET}, which the prolog sets to {@code STATE/launcher/JOBID/launcher.sock}). Each call
 * opens a connection, sends one line and reads one reply within the timeout. {@link #share} blocks for the
 * checkpoint grace period plus the restart, so give it a timeout above the launcher's {@code --grace-s}.
 * <pre>{@code
 * LauncherClient l = new LauncherClient(Path.of(socket), Duration.ofSeconds(60));
 * long pid = l.share(40);   // checkpoint, restart at 40 %
 * l.sleep(300);             // 300 ms of cooperative sleep after each iteration
 * List<Long> pids = l.pids();
 * }</pre>
 */
public final class LauncherClient {
    private final Path socket;
    private final Duration timeout;

    public LauncherClient(Path socket, Duration timeout) {
        this.socket = Objects.requireNonNull(socket, "socket");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Restarts the job's command with this MPS share (1..100); returns the new child's pid. */
    public long share(int percent) throws IOException {
        return Long.parseLong(field(call("SHARE " + percent), "pid"));
    }

    /** Sets the cooperative sleep after each training iteration, ms (0..10000). */
    public void sleep(long millis) throws IOException {
        call("SLEEP " + millis);
    }

    /** The child's pid and its descendants' (the processes to stop and resume). */
    public List<Long> pids() throws IOException {
        String v = field(call("PIDS"), "pids");
        List<Long> out = new ArrayList<>();
        for (String p : v.split(",")) {
            if (!p.isBlank()) {
                out.add(Long.parseLong(p));
            }
        }
        return out;
    }

    /** {@code share=P pid=X restarts=N restarting=B}. */
    public String status() throws IOException {
        return call("STATUS").substring(3);
    }

    private static String field(String reply, String key) throws IOException {
        for (String w : reply.split(" ")) {
            if (w.startsWith(key + "=")) {
                return w.substring(key.length() + 1);
            }
        }
        throw new IOException("launcher reply without " + key + ": " + reply);
    }

    private String call(String request) throws IOException {
        CompletableFuture<String> f = CompletableFuture.supplyAsync(() -> {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                ch.write(ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8)));
                ByteBuffer buf = ByteBuffer.allocate(4096);
                StringBuilder sb = new StringBuilder();
                while (ch.read(buf) >= 0) {
                    buf.flip();
                    sb.append(StandardCharsets.UTF_8.decode(buf));
                    buf.clear();
                    if (sb.indexOf("\n") >= 0) {
                        break;
                    }
                }
                return sb.toString().trim();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String reply;
        try {
            reply = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IOException("launcher at " + socket + " did not answer '" + request + "' within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IOException("launcher at " + socket + " unreachable: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        if (!reply.startsWith("OK")) {
            throw new IOException("launcher refused '" + request + "': " + reply);
        }
        return reply;
    }
}
