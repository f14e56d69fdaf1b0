package io.gpucolo.node.hooks;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run behind {@code gpucolo hooks-archive}: {@code bin/gpucolo} starts this class with the hooks' JVM
 * options and {@code -XX:ArchiveClassesAtExit}, so the JVM writes, at exit, an AppCDS archive of every class the hooks
 * load. It runs each hook path once, for real, in a scratch state directory: a prolog that asks {@code scontrol}
 * (here {@code /bin/echo}: no admin comment, not co-located), the prolog of a training and of a service job on an
 * MPS daemon already running (its pid file names this JVM), the TaskProlog, noded registration and deregistration
 * against a stand-in socket that answers {@code ok}, the epilogs (the last one of the GPU, and one without a job
 * file). Job ids are {@code 99999999999N}: no real process carries them, so the epilog's /proc scan resumes nothing.
 * Touches nothing outside its scratch directory, which it deletes.
 */
public final class HooksArchive {
    private static final String JOB = "99999999999";

    private HooksArchive() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("gpucolo-hooks-archive");
        PrintStream err = System.err;
        try {
            int hooks = train(dir);
            err.println("gpucolo hooks-archive: ran " + hooks + " hooks; the JVM writes the archive as it exits");
        } finally {
            System.setErr(err);
            deleteTree(dir);
        }
    }

    private static int train(Path dir) throws IOException, InterruptedException {
        Path conf = dir.resolve("node.conf");
        Files.writeString(conf, "mps_control = /bin/true\nscontrol = /bin/echo\nkill = /bin/kill\nstate_dir = "
                + dir.resolve("state") + "\nmps_pipe_root = " + dir.resolve("mps") + "\nmps_log_root = " + dir.resolve("mpslog")
                + "\nnoded_socket = " + dir.resolve("noded.sock") + "\npolicy = " + dir.resolve("policy.yaml")
                + "\nmps_timeout_ms = 2000\n");
        Path pid = dir.resolve("mps/g0/nvidia-cuda-mps-control.pid");
        Files.createDirectories(pid.getParent());
        Files.writeString(pid, ProcessHandle.current().pid() + "\n");
        Path decisions = Files.createDirectories(dir.resolve("state/decisions"));
        Files.writeString(decisions.resolve(JOB + "1"), "gpucolo:train id=d1 gpu=archive:g0 share=30 mem=1024\n");
        Files.writeString(decisions.resolve(JOB + "2"), "gpucolo:service id=d2 gpu=archive:g0 name=svc\n");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        System.setErr(quiet);
        Thread noded = standInNoded(dir.resolve("noded.sock"));
        String uid = Long.toString(((Number) Files.getAttribute(dir, "unix:uid")).longValue());
        int n = 0;
        for (String job : new String[] {"0", "1", "2"}) {
            HooksMain.run(new String[] {"prolog", "--config", conf.toString()}, env(job, uid));
            n++;
        }
        System.setOut(quiet);
        HooksMain.run(new String[] {"taskprolog", "--config", conf.toString()}, env("1", uid));
        HooksMain.run(new String[] {"epilog", "--config", conf.toString()}, env("2", uid));
        Files.deleteIfExists(pid);   // the last epilog of the GPU finds the daemon gone: no quit to wait for
        HooksMain.run(new String[] {"epilog", "--config", conf.toString()}, env("1", uid));
        HooksMain.run(new String[] {"epilog", "--config", conf.toString()}, env("0", uid));
        noded.interrupt();
        return n + 4;
    }

    private static Map<String, String> env(String job, String uid) {
        return Map.of("SLURM_JOB_ID", JOB + job, "SLURM_JOB_UID", uid, "SLURMD_NODENAME", "archive", "SLURM_JOB_GPUS", "0");
    }

    /** Answers every request line with {@code ok}, as noded does for register and deregister. */
    static Thread standInNoded(Path socket) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread t = new Thread(() -> {
            try (server) {
                while (!Thread.currentThread().isInterrupted()) {
                    try (SocketChannel ch = server.accept()) {
                        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
                        while (ch.read(in) > 0 && in.get(in.position() - 1) != '\n') {
                            // until the request line is complete
                        }
                        ch.write(ByteBuffer.wrap("{\"ok\":true,\"error\":null,\"resumed\":0,\"status\":null}\n"
                                .getBytes(StandardCharsets.UTF_8)));
                    }
                }
            } catch (IOException e) {
                // closed: training over
            }
        }, "gpucolo-hooks-archive-noded");
        t.setDaemon(true);
        t.start();
        return t;
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
