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
 * The loopback endpoint the submit hook talks to. One request line per connection, at most
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
    /** Time from accepting a connection to the reply written, microseconds (every request). */
    private final org.HdrHistogram.Histogram serviceMicros = new org.HdrHistogram.Histogram(3);

    HookServer(InetAddress address, int port, String secret, PeerCheck peers, Function<Request, Reply> handler)
            throws IOException {
        this(address, port, null, secret, peers, handler);
    }

    /** @param unixSocket also listen on this Unix socket (peers checked with SO_PEERCRED), or null */
    HookServer(InetAddress address, int port, java.nio.file.Path unixSocket, String secret, PeerCheck peers,
               Function<Request, Reply> handler) throws IOException {
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("admitd listens on loopback only, not " + address);
        }
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(address, port), 256);
        this.secret = secret;
        this.handler = handler;
        this.peers = peers;
        this.pool = new ThreadPoolExecutor(4, 4, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), r -> {
            Thread t = new Thread(r, "admitd-conn");
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, "admitd-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        this.unix = unixSocket == null ? null : new UnixListener(unixSocket, pool, this::serve, peers);
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                if (!s.getInetAddress().isLoopbackAddress()) {
                    LOG.warning("dropped connection from non-loopback peer " + s.getInetAddress());
                    s.close();
                    continue;
                }
                try {
                    pool.execute(() -> serve(s));
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

    /** A copy of the service-time histogram (microseconds), for {@code status}. */
    synchronized org.HdrHistogram.Histogram serviceTimes() {
        return serviceMicros.copy();
    }

    private synchronized void recordService(long nanos) {
        serviceMicros.recordValue(Math.max(1, nanos / 1000));
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(READ_TIMEOUT_MS);
            s.setTcpNoDelay(true);
            serve(s.getInputStream(), s.getOutputStream(), "port " + s.getPort(), () -> peers.refusal(s));
        } catch (IOException e) {
            LOG.fine(() -> "connection ended early: " + e.getMessage());
        }
    }

    /**
     * One exchange: reads the request line, checks the peer, answers. {@code refusal} runs after the read (a
     * refused peer still gets its reply, not a broken pipe).
     */
    void serve(InputStream in, OutputStream out, String who, java.util.function.Supplier<java.util.Optional<String>> refusal) {
        long t0 = System.nanoTime();
        try {
            Reply reply;
            try {
                byte[] line = readLine(in);
                java.util.Optional<String> refused = refusal.get();
                if (refused.isPresent()) {
                    LOG.warning(refused.get());
                    reply = Reply.error(refused.get());
                } else {
                    reply = handler.apply(Request.parse(line, secret));
                }
            } catch (ProtocolException e) {
                LOG.warning("bad request from " + who + ": " + e.getMessage());
                reply = Reply.error(e.getMessage());
            } catch (SocketTimeoutException e) {
                LOG.warning("request from " + who + " not complete within " + READ_TIMEOUT_MS + " ms");
                reply = Reply.error("request not complete within " + READ_TIMEOUT_MS + " ms");
            }
            out.write((reply.encode() + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            recordService(System.nanoTime() - t0);
        } catch (IOException e) {
            LOG.fine(() -> "connection ended early: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "request handling failed", e);
        }
    }

    /** Reads one line (without the newline); oversize and truncation are protocol errors. */
    static byte[] readLine(InputStream in) throws IOException, ProtocolException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
        byte[] chunk = new byte[1024];
        while (true) {
            int n = in.read(chunk);
            if (n < 0) {
                throw new ProtocolException(buf.size() == 0 ? "empty request" : "truncated request (no newline after "
                        + buf.size() + " bytes)");
            }
            for (int i = 0; i < n; i++) {
                if (chunk[i] == '\n') {
                    buf.write(chunk, 0, i);
                    byte[] line = buf.toByteArray();
                    int len = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
                    return java.util.Arrays.copyOf(line, len);
                }
            }
            buf.write(chunk, 0, n);
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
