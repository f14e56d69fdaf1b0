package io.gpucolo.admitd;

import io.gpucolo.admission.platform.Realtime;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * admitd's Unix-socket endpoint, the hook's fast path: the kernel says who the peer is ({@code SO_PEERCRED}) at no
 * cost, where a loopback TCP peer is found by walking the kernel's socket table ({@link PeerCheck}, several ms on a
 * machine with a large connection hash). Same protocol, same handler, same peer rule: {@code admitd.allowed_peer}
 * and root. The peer is checked as soon as it connects: the controller's connections are kept ({@link #keep}), each
 * served by its own thread (at most {@link #KEPT}; one more is answered once on the accepting thread), so that the
 * hook sends request after request on one connection; anyone else is read and refused on the pool. The accepting
 * and keeping threads may run in SCHED_FIFO ({@link Realtime}): they only block (accept, read, the journal's flush)
 * or do one bounded decision, and slurmctld holds its locks until it is answered. A stale socket file from a killed
 * admitd is replaced on start.
 */
final class UnixListener implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(UnixListener.class.getName());

    /** The exchange {@link HookServer} runs for each request; true when the connection may carry another. */
    interface Exchange {
        boolean serve(java.io.InputStream in, java.io.OutputStream out, String who, Supplier<Optional<String>> refusal,
                      long acceptedNanos);
    }

    /** How long a kept controller connection may wait for its next request before admitd closes it. */
    static final long KEEP_IDLE_MS = 30_000;
    /** Controller connections kept at once; one more is answered once and closed, as before keeping existed. */
    static final int KEPT = 4;

    private final Path path;
    private final ServerSocketChannel server;
    /** The scheduling class the serving thread got, for {@code status}. */
    private volatile String scheduling = "starting";
    /** How often the watchdog looks for connections past the read timeout. */
    static final long WATCH_MS = 250;
    /** When a connection must have done what it waits for (nanoTime), and whether that is a request's rest. */
    private record Watch(long deadline, boolean midRequest) {
    }

    /**
     * Open connections with their deadline. One watchdog pass every {@link #WATCH_MS} closes those past it, so a
     * request costs a map entry, not a timer task: a task scheduled per request woke the timer thread once per
     * request, a thread competing with the request path for the CPU.
     */
    private final java.util.concurrent.ConcurrentHashMap<SocketChannel, Watch> inFlight =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Threads that each serve one kept controller connection (real-time like the accepting thread). */
    private final ThreadPoolExecutor keepers;
    private final ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "admitd-unix-timeout");
        t.setDaemon(true);
        return t;
    });

    /** @param realtime run the accepting (and serving) thread in SCHED_FIFO ({@link Realtime}) */
    UnixListener(Path path, ThreadPoolExecutor pool, Exchange exchange, PeerCheck peers, boolean realtime)
            throws IOException {
        this.path = path;
        Files.createDirectories(path.toAbsolutePath().getParent());
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther()) {
                throw new IOException(path + " exists and is not a socket; refusing to replace it");
            }
            Files.delete(path);                                   // left by an admitd that was killed
        }
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path), 256);
        } catch (IOException | IllegalArgumentException e) {
            server.close();
            throw new IOException("cannot listen on the Unix socket " + path + " (" + e.getMessage()
                    + "); choose another path with --socket (at most 107 bytes) or --socket none", e);
        }
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw-rw-"));   // SO_PEERCRED decides
        this.keepers = new ThreadPoolExecutor(0, KEPT, 60, TimeUnit.SECONDS,
                new java.util.concurrent.SynchronousQueue<>(), r -> {
                    Thread t = new Thread(realtime ? Realtime.raised(r) : r, "admitd-unix-keep");
                    t.setDaemon(true);
                    return t;
                });
        timeouts.scheduleWithFixedDelay(this::closeLate, WATCH_MS, WATCH_MS, TimeUnit.MILLISECONDS);
        Thread acceptor = new Thread(() -> {
            if (realtime) {
                raise();
            } else {
                scheduling = "normal priority (--no-realtime)";
            }
            acceptLoop(pool, exchange, peers);
        }, "admitd-unix-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void raise() {
        if (Realtime.raiseCurrentThread()) {
            scheduling = "SCHED_FIFO 1";
            LOG.info("the hook's thread on " + path + " runs SCHED_FIFO, priority 1");
        } else {
            scheduling = "normal priority (SCHED_FIFO not permitted: needs root, CAP_SYS_NICE or RLIMIT_RTPRIO 1)";
            LOG.warning("could not put the hook's thread on " + path + " in SCHED_FIFO (needs root, CAP_SYS_NICE or "
                    + "an RLIMIT_RTPRIO of 1); it runs at normal priority, and slurmctld may wait for it to get a CPU");
        }
    }

    /** The serving thread's scheduling class: {@code SCHED_FIFO 1} or {@code normal priority (why)}. */
    String scheduling() {
        return scheduling;
    }

    private void acceptLoop(ThreadPoolExecutor pool, Exchange exchange, PeerCheck peers) {
        while (server.isOpen()) {
            try {
                SocketChannel ch = server.accept();
                long accepted = System.nanoTime();
                Optional<String> refused = refusal(ch, peers);
                if (refused.isEmpty()) {
                    try {
                        keepers.execute(() -> keep(ch, exchange, accepted));        // the controller: kept open
                    } catch (RejectedExecutionException e) {
                        serve(ch, exchange, () -> Optional.empty(), accepted);      // KEPT are open: answer once here
                    }
                    continue;
                }
                try {
                    pool.execute(() -> serve(ch, exchange, () -> refused, accepted));   // read, then refuse, off this thread
                } catch (RejectedExecutionException e) {
                    LOG.warning("too many connections; dropped one on " + path);
                    ch.close();
                }
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.warning("accept on " + path + " failed: " + e.getMessage());
                }
            }
        }
    }

    /** One request on a connection, then it is closed (another user's, to refuse it; or the controller's past KEPT). */
    private void serve(SocketChannel ch, Exchange exchange, Supplier<Optional<String>> refusal, long accepted) {
        inFlight.put(ch, new Watch(accepted + TimeUnit.MILLISECONDS.toNanos(HookServer.READ_TIMEOUT_MS), true));
        try (ch) {
            exchange.serve(new BufferedInputStream(Channels.newInputStream(ch)), Channels.newOutputStream(ch),
                    path.toString(), refusal, accepted);
        } catch (IOException e) {
            LOG.fine(() -> "connection ended early: " + e.getMessage());
        } finally {
            inFlight.remove(ch);
        }
    }

    /**
     * Serves a controller connection request after request until the hook closes it (slurmctld reloaded its script
     * or stopped), a request fails (the connection may be mid-line: it is closed after the error reply), or it sits
     * idle for {@link #KEEP_IDLE_MS}. The hook keeps one connection and reuses it while it is younger than that
     * ({@code job_submit.lua.example}), so a submission pays no connect, accept or peer check; a request's stages
     * are timed from its first byte.
     */
    private void keep(SocketChannel ch, Exchange exchange, long accepted) {
        try (ch) {
            BufferedInputStream in = new BufferedInputStream(Channels.newInputStream(ch));
            java.io.OutputStream out = Channels.newOutputStream(ch);
            boolean first = true;
            while (true) {
                inFlight.put(ch, new Watch(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KEEP_IDLE_MS), false));
                in.mark(1);
                if (in.read() < 0) {
                    return;                                   // the hook closed it
                }
                in.reset();
                long start = first ? accepted : System.nanoTime();
                first = false;
                inFlight.put(ch, new Watch(start + TimeUnit.MILLISECONDS.toNanos(HookServer.READ_TIMEOUT_MS), true));
                if (!exchange.serve(in, out, path.toString(), () -> Optional.empty(), start)) {
                    return;
                }
            }
        } catch (IOException e) {
            LOG.fine(() -> "kept connection ended: " + e.getMessage());
        } finally {
            inFlight.remove(ch);
        }
    }

    /** Closes the connections past their deadline: a request not complete in time, or a kept one idle too long. */
    private void closeLate() {
        long now = System.nanoTime();
        inFlight.forEach((ch, w) -> {
            if (now - w.deadline() > 0 && inFlight.remove(ch, w)) {
                try {
                    if (w.midRequest()) {
                        LOG.warning("closed a connection on " + path + " whose request was not complete within "
                                + HookServer.READ_TIMEOUT_MS + " ms");
                    } else {
                        LOG.fine(() -> "closed a kept connection idle for " + KEEP_IDLE_MS + " ms");
                    }
                    ch.close();
                } catch (IOException e) {
                    LOG.fine(() -> "closing a late connection: " + e.getMessage());
                }
            }
        });
    }

    private static Optional<String> refusal(SocketChannel ch, PeerCheck peers) {
        try {
            UnixDomainPrincipal p = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return peers.refusalOfUser(p.user().getName());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of("cannot tell which user connected on the Unix socket: " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        timeouts.shutdownNow();
        keepers.shutdownNow();
        for (SocketChannel ch : inFlight.keySet()) {
            ch.close();                                       // the hook sees the end and connects again
        }
        Files.deleteIfExists(path);
    }
}
