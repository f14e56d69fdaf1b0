package io.gpucolo.node.emu;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gpucolo emu-mps-control}: the stand-in for {@code nvidia-cuda-mps-control} (installed as
 * {@code etc/emu/nvidia-cuda-mps-control}). {@code -d} starts the emulated control daemon in the background and
 * returns once it accepts commands; {@code -f} runs it in the foreground; with neither, each line of stdin is a
 * control command whose output is printed, as with the real tool. Directories come from
 * {@code CUDA_MPS_PIPE_DIRECTORY} (default {@code /tmp/nvidia-mps}) and {@code CUDA_MPS_LOG_DIRECTORY} (default
 * {@code /var/log/nvidia-mps}).
 */
@Command(name = "emu-mps-control", mixinStandardHelpOptions = true,
        description = "Emulated nvidia-cuda-mps-control: -d starts the daemon, otherwise commands are read from stdin.")
public final class EmuMpsControlCommand implements Callable<Integer> {
    @Option(names = "-d", description = "start the control daemon in the background")
    boolean daemon;

    @Option(names = "-f", description = "run the control daemon in the foreground")
    boolean foreground;

    @Override
    public Integer call() throws Exception {
        Path pipe = Path.of(System.getenv().getOrDefault("CUDA_MPS_PIPE_DIRECTORY", "/tmp/nvidia-mps"));
        Path logDir = Path.of(System.getenv().getOrDefault("CUDA_MPS_LOG_DIRECTORY", "/var/log/nvidia-mps"));
        if (foreground) {
            Files.createDirectories(logDir);
            try (PrintStream log = new PrintStream(Files.newOutputStream(logDir.resolve("control.log"),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND), true, StandardCharsets.UTF_8)) {
                new EmuMpsDaemon(pipe, log, serverGpu(System.getenv("CUDA_VISIBLE_DEVICES"))).run();
            } catch (IllegalStateException e) {
                System.err.println(e.getMessage());
                return 1;
            }
            return 0;
        }
        if (daemon) {
            return startInBackground(pipe, logDir);
        }
        return forwardStdin(pipe);
    }

    /** The first GPU of the daemon's CUDA_VISIBLE_DEVICES, or -1 (clients then name their GPU themselves). */
    static int serverGpu(String visible) {
        if (visible == null || visible.isBlank()) {
            return -1;
        }
        try {
            return Integer.parseInt(visible.split(",")[0].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("CUDA_VISIBLE_DEVICES='" + visible + "': expected GPU indices");
        }
    }

    private static int startInBackground(Path pipe, Path logDir) throws IOException, InterruptedException {
        Path sock = pipe.resolve(MpsGrant.CONTROL_SOCKET);
        if (EmuMpsDaemon.reachable(sock)) {
            System.err.println("An instance of this daemon is already running");
            return 1;
        }
        Files.createDirectories(pipe);
        Files.createDirectories(logDir);
        List<String> cmd = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            cmd.add("/usr/bin/setsid");
        }
        cmd.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(EmuMain.class.getName());
        cmd.add("emu-mps-control");
        cmd.add("-f");
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve("control.out").toFile()));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            if (EmuMpsDaemon.reachable(sock)) {
                return 0;
            }
            if (!p.isAlive() && p.exitValue() != 0) {
                System.err.println("MPS control daemon failed to start (exit " + p.exitValue() + "), see "
                        + logDir.resolve("control.out"));
                return 1;
            }
            Thread.sleep(20);
        }
        System.err.println("MPS control daemon did not come up within 10 s");
        return 1;
    }

    private static int forwardStdin(Path pipe) throws IOException {
        Path sock = pipe.resolve(MpsGrant.CONTROL_SOCKET);
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = stdin.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(sock));
                ch.write(ByteBuffer.wrap(("CTL " + line.trim() + "\n").getBytes(StandardCharsets.UTF_8)));
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
                String out;
                while ((out = in.readLine()) != null && !out.equals("END")) {
                    System.out.println(out);
                }
            } catch (IOException e) {
                System.err.println("Cannot find MPS control daemon process");
                return 1;
            }
        }
        System.out.flush();
        return 0;
    }
}
