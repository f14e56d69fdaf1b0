package io.gpucolo.node.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Collectors;

/**
 * The launcher's control socket, mode 0600 (its user and root only). One request line, one reply line:
 * <pre>
 *   SHARE P     -> OK share=P pid=NEWPID        checkpoint, wait, restart with CUDA_MPS_ACTIVE_THREAD_PERCENTAGE=P
 *   SLEEP MS    -> OK sleep=MS                  cooperative sleep after each iteration (GPUCOLO_SLEEP_FILE)
 *   PIDS        -> OK pids=1,2,3                the child and its descendants
 *   STATUS      -> OK share=P pid=X restarts=N restarting=false
 *   anything else, or a refused request -> ERR reason
 * </pre>
 */
final class LauncherServer implements AutoCloseable {
    private final Path socket;
    private final Launcher launcher;
    private final ServerSocketChannel server;

    LauncherServer(Path socket, Launcher launcher) throws IOException {
        this.socket = socket;
        this.launcher = launcher;
        Files.createDirectories(socket.toAbsolutePath().getParent());
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        Thread t = new Thread(this::accept, "gpucolo-run-socket");
        t.setDaemon(true);
        t.start();
    }

    private void accept() {
        while (true) {
            try {
                SocketChannel ch = server.accept();
                Thread t = new Thread(() -> serve(ch), "gpucolo-run-request");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel ch) {
        try (ch) {
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            String line = in.readLine();
            String reply = line == null ? "ERR empty request" : answer(line.trim());
            ch.write(ByteBuffer.wrap((reply + "\n").getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            // the caller went away
        }
    }

    String answer(String line) {
        String[] w = line.split("\\s+");
        try {
            switch (w[0]) {
                case "SHARE" -> {
                    int share = Integer.parseInt(arg(w));
                    return "OK share=" + share + " pid=" + launcher.changeShare(share);
                }
                case "SLEEP" -> {
                    long ms = Long.parseLong(arg(w));
                    launcher.sleep(ms);
                    return "OK sleep=" + ms;
                }
                case "PIDS" -> {
                    return "OK pids=" + launcher.pids().stream().map(String::valueOf).collect(Collectors.joining(","));
                }
                case "STATUS" -> {
                    return "OK " + launcher.status();
                }
                default -> {
                    return "ERR unknown request '" + w[0] + "' (SHARE P, SLEEP MS, PIDS, STATUS)";
                }
            }
        } catch (NumberFormatException e) {
            return "ERR not a number in '" + line + "'";
        } catch (IllegalArgumentException | IllegalStateException | IOException e) {
            return "ERR " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "ERR interrupted";
        }
    }

    private static String arg(String[] w) {
        if (w.length != 2) {
            throw new IllegalArgumentException("expected one argument after " + w[0]);
        }
        return w[1];
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
    }
}
