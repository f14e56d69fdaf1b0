package io.gpucolo.node.noded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Talks to {@code gpucolo noded} over its Unix control socket (only root and the Slurm user are accepted). Every call
 * is bounded by the timeout; a missing or hung noded gives a {@link NodedException}, never a hang — the prolog and
 * epilog must stay fast and the epilog resumes processes itself when noded is down.
 */
public final class NodedClient {
    /** Where noded listens unless configured otherwise. */
    public static final Path DEFAULT_SOCKET = Path.of("/run/gpucolo/noded.sock");

    private final Path socket;
    private final Duration timeout;

    public NodedClient(Path socket, Duration timeout) {
        this.socket = Objects.requireNonNull(socket, "socket");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        this.timeout = timeout;
    }

    /** Registers a job on one of this node's GPUs (idempotent: a second registration replaces the first). */
    public void register(JobRegistration job) throws NodedException {
        lean("register", job, null);
    }

    /** Forgets a job, resuming its processes first; returns how many processes were resumed. Unknown jobs: 0. */
    public int deregister(String jobId) throws NodedException {
        return lean("deregister", null, jobId);
    }

    /** Resumes every stopped process of one job; returns how many. */
    public int resume(String jobId) throws NodedException {
        return lean("resume", null, Objects.requireNonNull(jobId, "jobId"));
    }

    /** Resumes every process noded stopped on this node; returns how many. */
    public int resumeAll() throws NodedException {
        return lean("resume", null, null);
    }

    /** noded's status as JSON text: heartbeat, per GPU the p99 vs SLO, duty cycle, MPS share and actions. */
    public String status() throws NodedException {
        byte[] reply = call("status", encode(new Wire.Request("status", null, null)));
        try {
            Wire.Reply r = Wire.JSON.readValue(reply, Wire.Reply.class);
            if (!r.ok()) {
                throw new NodedException("noded refused status: " + r.error());
            }
            return r.status().toPrettyString();
        } catch (IOException e) {
            throw new NodedException("noded at " + socket + ": unreadable reply to status: " + e.getMessage(), e);
        }
    }

    private static byte[] encode(Wire.Request request) throws NodedException {
        try {
            return (Wire.JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new NodedException("cannot encode " + request.op() + ": " + e.getMessage(), e);
        }
    }

    /** The hooks' requests, written and read without Jackson ({@link LeanWire}: a prolog must start fast). */
    private int lean(String op, JobRegistration job, String jobId) throws NodedException {
        byte[] reply = call(op, (LeanWire.request(op, job, jobId) + "\n").getBytes(StandardCharsets.UTF_8));
        LeanWire.Reply r;
        try {
            r = LeanWire.reply(new String(reply, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new NodedException("noded at " + socket + ": unreadable reply to " + op + ": " + e.getMessage(), e);
        }
        if (!r.ok()) {
            throw new NodedException("noded refused " + op + ": " + r.error());
        }
        return r.resumed() == null ? 0 : r.resumed();
    }

    /** One request line out, the reply line back, within the timeout. */
    private byte[] call(String op, byte[] line) throws NodedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // encoded before connecting: noded gives a connection 2 s to deliver its request line
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX); Selector selector = Selector.open()) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.configureBlocking(false);
            ByteBuffer out = ByteBuffer.wrap(line);
            ch.register(selector, SelectionKey.OP_WRITE);
            while (out.hasRemaining()) {
                await(selector, deadline);
                ch.write(out);
            }
            ch.register(selector, SelectionKey.OP_READ);
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (true) {
                await(selector, deadline);
                int n = ch.read(buf);
                if (n < 0) {
                    break;
                }
                in.write(buf.array(), 0, buf.position());
                buf.clear();
                if (in.size() > Wire.MAX_LINE * 16) {
                    throw new NodedException("noded at " + socket + ": reply larger than " + Wire.MAX_LINE * 16 + " bytes");
                }
                if (in.size() > 0 && in.toByteArray()[in.size() - 1] == '\n') {
                    break;
                }
            }
            return in.toByteArray();
        } catch (IOException e) {
            throw new NodedException("noded at " + socket + " unreachable for " + op + ": " + e.getMessage(), e);
        }
    }

    private void await(Selector selector, long deadline) throws IOException, NodedException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0 || selector.select(left) == 0) {
            throw new NodedException("noded at " + socket + " did not answer within " + timeout.toMillis() + " ms");
        }
        selector.selectedKeys().clear();
    }
}
