package io.gpucolo.admitd;

import io.gpucolo.admitd.protocol.ProtocolException;
import io.gpucolo.admitd.protocol.Reply;
import io.gpucolo.admitd.protocol.Request;
import io.gpucolo.admitd.protocol.Wire;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The loopback endpoint the submit hook talks to. One request line per TCP connection (the Unix socket keeps the
 * controller's connections for more, {@link UnixListener}), at most
 * {@link Wire#MAX_REQUEST_BYTES}; a peer that is not on loopback is dropped, one whose socket belongs to a user other
 * than {@code admitd.allowed_peer} or root gets an {@code error} ({@link PeerCheck}); a malformed, oversized or truncated
 * request gets an {@code error} reply and is logged; nothing a peer sends can stop the server.
 */
final class HookServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HookServer.class.getName());
    static final int READ_TIMEOUT_MS = 2000;

    private final ServerSocket server;
    private final String secret;
    private final Function<Request, Reply> handler;
    private final PeerCheck peers;
    private final ThreadPoolExecutor pool;
    private final Thread acceptor;
    private final UnixListener unix;
    /** Where each request's time goes (accept to reply written, stage by stage). */
    private final PathTimes times;

    HookServer(InetAddress address, int port, String secret, PeerCheck peers, Function<Request, Reply> handler)
            throws IOException {
        this(address, port, null, secret, peers, handler, new PathTimes(), false);
    }

    /** @param unixSocket also listen on this Unix socket (peers checked with SO_PEERCRED), or null */
    HookServer(InetAddress address, int port, java.nio.file.Path unixSocket, String secret, PeerCheck peers,
               Function<Request, Reply> handler) throws IOException {
        this(address, port, unixSocket, secret, peers, handler, new PathTimes(), false);
    }

    /**
     * @param times    where each request's stage times are recorded
     * @param realtime whether the Unix socket's serving thread runs SCHED_FIFO ({@link UnixListener})
     */
    HookServer(InetAddress address, int port, java.nio.file.Path unixSocket, String secret, PeerCheck peers,
               Function<Request, Reply> handler, PathTimes times, boolean realtime) throws IOException {
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("admitd listens on loopback only, not " + address);
        }
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(address, port), 256);
        this.secret = secret;
        this.handler = handler;
        this.peers = peers;
        this.times = times;
        this.pool = new ThreadPoolExecutor(4, 4, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), r -> {
            Thread t = new Thread(r, "admitd-conn");
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, "admitd-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        this.unix = unixSocket == null ? null : new UnixListener(unixSocket, pool, this::serve, peers, realtime);
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                long accepted = System.nanoTime();
                if (!s.getInetAddress().isLoopbackAddress()) {
                    LOG.warning("dropped connection from non-loopback peer " + s.getInetAddress());
                    s.close();
                    continue;
                }
                try {
                    pool.execute(() -> serve(s, accepted));
                } catch (RejectedExecutionException e) {
                    LOG.warning("too many connections; dropped one from port " + s.getPort());
                    s.close();
                }
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.log(Level.WARNING, "accept failed", e);
                }
            }
        }
    }

    /** How the thread answering the hook on the Unix socket is scheduled, for {@code status}. */
    String hookThread() {
        return unix == null ? "no Unix socket (TCP connections are served on a pool)" : unix.scheduling();
    }

    /** The stage times of every request served (microseconds), for {@code status}. */
    PathTimes times() {
        return times;
    }

    private void serve(Socket s, long accepted) {
        try (s) {
            s.setSoTimeout(READ_TIMEOUT_MS);
            s.setTcpNoDelay(true);
            serve(new java.io.BufferedInputStream(s.getInputStream()), s.getOutputStream(), "port " + s.getPort(),
                    () -> peers.refusal(s), accepted);
        } catch (IOException e) {
            LOG.fine(() -> "connection ended early: " + e.getMessage());
        }
    }

    /**
     * One exchange: reads the request line, checks the peer, answers. {@code refusal} runs after the read (a
     * refused peer still gets its reply, not a broken pipe). Returns whether the connection may carry another
     * request (see {@link #exchange}).
     */
    boolean serve(InputStream in, OutputStream out, String who,
                  java.util.function.Supplier<java.util.Optional<String>> refusal, long accepted) {
        return exchange(in, out, who, refusal, accepted, secret, handler, times);
    }

    /**
     * The exchange itself, on any streams and handler (also run by {@link WarmUp} on scratch state). {@code in} is
     * read one byte at a time up to the newline, never past it (give it a buffered stream), so that a connection can
     * carry the next request. Returns true when a whole, well-formed request from an accepted peer was answered:
     * the connection is at a line boundary and may carry another request; false after an error reply, a refusal,
     * or a broken connection (the caller closes it).
     *
     * @param accepted when the request's first byte was there to read (or the connection accepted), nanoTime
     */
    static boolean exchange(InputStream in, OutputStream out, String who,
                         java.util.function.Supplier<java.util.Optional<String>> refusal, long accepted, String secret,
                         Function<Request, Reply> handler, PathTimes times) {
        long t0 = accepted;
        long read = t0;
        long connect = -1;
        String op = "?";
        boolean reusable = false;
        try {
            Reply reply;
            try {
                byte[] line = readLine(in);
                read = System.nanoTime();
                java.util.Optional<String> refused = refusal.get();
                if (refused.isPresent()) {
                    LOG.warning(refused.get());
                    reply = Reply.error(refused.get());
                } else {
                    Request r = Request.parse(line, secret);
                    op = r.op();
                    connect = connectMicros(r, accepted);
                    reply = handler.apply(r);
                    reusable = true;
                }
            } catch (ProtocolException e) {
                LOG.warning("bad request from " + who + ": " + e.getMessage());
                reply = Reply.error(e.getMessage());
            } catch (SocketTimeoutException e) {
                LOG.warning("request from " + who + " not complete within " + READ_TIMEOUT_MS + " ms");
                reply = Reply.error("request not complete within " + READ_TIMEOUT_MS + " ms");
            }
            long decided = System.nanoTime();
            out.write((reply.encode() + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long done = System.nanoTime();
            times.exchange(connect, Math.max(0, read - t0), decided - Math.max(read, t0), done - decided, op);
            return reusable;
        } catch (IOException e) {
            LOG.fine(() -> "connection ended early: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "request handling failed", e);
        }
        return false;
    }

    /**
     * Microseconds from the hook's clock reading before it connected ({@code t=}, epoch seconds) to the accept, or
     * -1 without one. Both are this machine's wall clock; a step of that clock gives one bad sample, nothing more.
     */
    private static long connectMicros(Request r, long acceptedNanos) {
        java.util.Optional<String> t = r.field("t");
        if (t.isEmpty()) {
            return -1;
        }
        try {
            java.time.Instant now = java.time.Instant.now();
            long nowMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
            long acceptMicros = nowMicros - (System.nanoTime() - acceptedNanos) / 1000;
            long d = acceptMicros - Math.round(Double.parseDouble(t.get()) * 1e6);
            return d >= 0 ? d : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Reads one line (without the newline), one byte at a time so that nothing after the newline is consumed;
     * oversize and truncation are protocol errors.
     */
    static byte[] readLine(InputStream in) throws IOException, ProtocolException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(512);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new ProtocolException(buf.size() == 0 ? "empty request" : "truncated request (no newline after "
                        + buf.size() + " bytes)");
            }
            if (b == '\n') {
                byte[] line = buf.toByteArray();
                int len = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
                return len == line.length ? line : java.util.Arrays.copyOf(line, len);
            }
            buf.write(b);
            if (buf.size() >= Wire.MAX_REQUEST_BYTES) {
                throw new ProtocolException("request exceeds " + Wire.MAX_REQUEST_BYTES + " bytes");
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        if (unix != null) {
            unix.close();
        }
        pool.shutdownNow();
    }
}
