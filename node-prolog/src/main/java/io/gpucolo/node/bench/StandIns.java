package io.gpucolo.node.bench;

import io.gpucolo.node.actuator.RaisedPriority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts and ends the real processes of the burst benchmark: one emulated GPU server, and per emulated GPU an
 * inference stand-in and a training stand-in under the {@code gpucolo run} launcher. Every process is a child of the
 * benchmark with an argument list (no shell), its output in a file of the work directory, and is killed at the end.
 */
final class StandIns implements AutoCloseable {
    private static final List<String> JVM = List.of("-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");
    private final Path dir;
    private final String java;
    private final String classpath;
    private final List<Process> started = new ArrayList<>();
    private final Path gpuSocket;

    StandIns(Path dir, int gpus) throws IOException, InterruptedException {
        this.dir = dir;
        this.java = ProcessHandle.current().info().command().orElseThrow(() -> new IOException("cannot find the java binary"));
        this.classpath = System.getProperty("java.class.path");
        this.gpuSocket = dir.resolve("gpu.sock");
        start("emu-gpu", Map.of(), "io.gpucolo.node.emu.EmuMain", "emu-gpu", "--socket", gpuSocket.toString(),
                "--gpus", Integer.toString(gpus));
        await(gpuSocket, "emulated GPU socket");
    }

    private List<String> javaCmd(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(JVM);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Starts a stand-in. The emulated plant (the GPU server and the inference servers, whose latency is wall-clock)
     * runs at a higher CPU priority ({@code nice -n -10}, when allowed: as root) than the rest, so that CPU contention
     * on a small shared machine (the training stand-ins, launcher restarts, other work) shows up less as GPU latency:
     * a real GPU does not slow down when the host's CPUs are busy. Every scenario's plant gets the same priority.
     */
    private Process start(String name, Map<String, String> env, String mainClass, String... args) throws IOException {
        boolean plant = name.startsWith("emu-gpu") || name.startsWith("infer");
        List<String> cmd = new ArrayList<>(plant ? RaisedPriority.prefix() : List.of());
        cmd.addAll(javaCmd(mainClass, args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().remove("CUDA_MPS_PIPE_DIRECTORY");
        pb.environment().put("GPUCOLO_EMU_GPU_SOCKET", gpuSocket.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /**
     * Starts an inference stand-in on {@code gpu} following {@code schedule}, whose 0 s is the wall-clock instant
     * (epoch ms) written into {@code origin} (the same file for every stand-in of a batch, so they step together; until
     * it is written the first step's rate holds); returns its metrics port.
     */
    int inference(int gpu, Path schedule, Path origin, double durationS) throws IOException, InterruptedException {
        Path portFile = dir.resolve("infer" + gpu + ".port");
        start("infer" + gpu, Map.of("CUDA_VISIBLE_DEVICES", Integer.toString(gpu)), "io.gpucolo.node.emu.EmuMain",
                "emu-infer", "--schedule", schedule.toString(), "--schedule-origin-file", origin.toString(),
                "--port-file", portFile.toString(),
                "--duration-s", Double.toString(durationS), "--seed", Integer.toString(gpu + 1));
        await(portFile, "inference metrics port file");
        return Integer.parseInt(Files.readString(portFile).strip());
    }

    /** Starts a training stand-in on {@code gpu} at MPS share {@code share}, without a launcher (its share never changes); returns its pid. */
    long plainTraining(int gpu, int share) throws IOException, InterruptedException {
        Process p = start("train" + gpu, Map.of("CUDA_VISIBLE_DEVICES", Integer.toString(gpu),
                        "CUDA_MPS_ACTIVE_THREAD_PERCENTAGE", Integer.toString(share)), "io.gpucolo.node.emu.EmuMain",
                "emu-train", "--iteration-ms", "200", "--progress-file", progressFile(gpu).toString());
        await(progressFile(gpu), "training progress file");
        return p.pid();
    }

    /** Starts a training stand-in under the launcher on {@code gpu}; returns the launcher's socket. */
    Path training(int gpu, int share) throws IOException, InterruptedException {
        Path socket = dir.resolve("launcher" + gpu + ".sock");
        List<String> train = javaCmd("io.gpucolo.node.emu.EmuMain", "emu-train", "--iteration-ms", "200",
                "--progress-file", progressFile(gpu).toString(), "--checkpoint", dir.resolve("ckpt" + gpu).toString());
        List<String> args = new ArrayList<>(List.of("run", "--socket", socket.toString(), "--share", Integer.toString(share),
                "--grace-s", "5", "--"));
        args.addAll(train);
        start("train" + gpu, Map.of("CUDA_VISIBLE_DEVICES", Integer.toString(gpu)), "io.gpucolo.node.launcher.RunMain",
                args.toArray(String[]::new));
        await(socket, "launcher socket");
        return socket;
    }

    Path progressFile(int gpu) {
        return dir.resolve("progress" + gpu);
    }

    /** Training iterations done so far on {@code gpu} (0 before the first report). */
    long iterations(int gpu) {
        try {
            for (String w : Files.readString(progressFile(gpu)).strip().split(" ")) {
                if (w.startsWith("iterations=")) {
                    return Long.parseLong(w.substring(11));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** Writes the schedules' origin: the wall-clock instant {@code epochMs}, atomically (a reader never sees half). */
    static void writeOrigin(Path origin, long epochMs) throws IOException {
        Path tmp = origin.resolveSibling(origin.getFileName() + ".tmp");
        Files.writeString(tmp, epochMs + "\n");
        Files.move(tmp, origin, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Throws, naming the work directory, when a stand-in started here has exited ({@code what}: what was awaited). */
    void checkAlive(String what) throws IOException {
        for (Process p : started) {
            if (!p.isAlive()) {
                throw new IOException(what + ": a stand-in exited with " + p.exitValue() + " (logs in " + dir + ")");
            }
        }
    }

    private void await(Path file, String what) throws IOException, InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (Files.exists(file) && Files.size(file) >= 0) {
                return;
            }
            checkAlive(what + " never appeared");
            Thread.sleep(100);
        }
        throw new IOException(what + " " + file + " did not appear within 60 s (logs in " + dir + ")");
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            Process p = started.get(i);
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
