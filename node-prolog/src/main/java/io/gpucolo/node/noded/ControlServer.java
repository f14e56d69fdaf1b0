package io.gpucolo.node.noded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * noded's control socket: a Unix domain socket (mode 0666, so the check below is the only gate) that accepts a peer
 * only when its credentials (SO_PEERCRED, checked by the kernel, not claimed by the client) name an allowed user —
 * root and the Slurm user. One JSON request line per connection ({@link Wire}); a request must arrive within 2 s and
 * within {@value Wire#MAX_LINE} bytes. Refusals and bad requests get an error reply and a log line, never a crash.
 */
final class ControlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    private static final long READ_DEADLINE_MS = 2000;

    private final Path path;
    private final ServerSocketChannel server;
    private final Set<String> allowedUsers;
    private final Function<Wire.Request, Wire.Reply> handler;
    private final ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "gpucolo-noded-control");
        t.setDaemon(true);
        return t;
    });
    private final Thread acceptor;

    ControlServer(Path path, Set<String> allowedUsers, Function<Wire.Request, Wire.Reply> handler) throws IOException {
        this.path = path;
        this.allowedUsers = Set.copyOf(allowedUsers);
        this.handler = handler;
        Files.createDirectories(path.toAbsolutePath().getParent());
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw-rw-"));
        acceptor = new Thread(this::acceptLoop, "gpucolo-noded-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel ch = server.accept();
                workers.execute(() -> serve(ch));
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.error("control socket {}: accept failed: {}", path, e.getMessage());
                }
            }
        }
    }

    private void serve(SocketChannel ch) {
        try (ch) {
            UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
            String user = peer.user().getName();
            String line = readLine(ch);   // read first, so a refused client gets its answer rather than a broken pipe
            if (!allowedUsers.contains(user)) {
                LOG.warn("control socket {}: refused peer user '{}' (allowed: {})", path, user, allowedUsers);
                reply(ch, Wire.Reply.error("user '" + user + "' may not control noded (allowed: " + allowedUsers + ")"));
                return;
            }
            Wire.Reply reply;
            if (line == null) {
                reply = Wire.Reply.error("no complete request line within " + READ_DEADLINE_MS + " ms and " + Wire.MAX_LINE + " bytes");
            } else {
                reply = handle(line);
            }
            reply(ch, reply);
        } catch (IOException | RuntimeException e) {
            LOG.warn("control socket {}: connection failed: {}", path, e.toString());
        }
    }

    private Wire.Reply handle(String line) {
        Wire.Request req;
        try {
            req = Wire.JSON.readValue(line, Wire.Request.class);
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            LOG.warn("control socket {}: bad request: {}", path, why);
            return Wire.Reply.error("bad request: " + why);
        }
        try {
            return handler.apply(req);
        } catch (IllegalArgumentException e) {
            return Wire.Reply.error(e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("control socket {}: {} failed", path, req.op(), e);
            return Wire.Reply.error(req.op() + " failed: " + e);
        }
    }

    private static String readLine(SocketChannel ch) throws IOException {
        ch.configureBlocking(false);
        long deadline = System.nanoTime() + READ_DEADLINE_MS * 1_000_000;
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        try (Selector sel = Selector.open()) {
            ch.register(sel, SelectionKey.OP_READ);
            while (in.size() <= Wire.MAX_LINE) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0 || sel.select(left) == 0) {
                    return null;
                }
                sel.selectedKeys().clear();
                int n = ch.read(buf);
                if (n < 0) {
                    break;
                }
                for (int i = 0; i < buf.position(); i++) {
                    if (buf.get(i) == '\n') {
                        in.write(buf.array(), 0, i);
                        return in.toString(StandardCharsets.UTF_8);
                    }
                }
                in.write(buf.array(), 0, buf.position());
                buf.clear();
            }
        }
        return null;
    }

    private static void reply(SocketChannel ch, Wire.Reply reply) throws IOException {
        ch.configureBlocking(true);
        ByteBuffer out = ByteBuffer.wrap((Wire.JSON.writeValueAsString(reply) + "\n").getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            ch.write(out);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        workers.shutdownNow();
        Files.deleteIfExists(path);
    }
}
