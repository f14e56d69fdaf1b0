package io.gpucolo.node.mps;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * {@link MpsControl} over the {@code nvidia-cuda-mps-control} binary at an absolute path (no PATH lookup: Slurm
 * hooks run without PATH). Each call runs the binary with an environment of exactly
 * {@code CUDA_VISIBLE_DEVICES=N}, {@code CUDA_MPS_PIPE_DIRECTORY} and {@code CUDA_MPS_LOG_DIRECTORY}, commands on its
 * stdin, and a timeout. Pipe and log directories are created owned by the caller (root in the prolog), mode 0755.
 */
public final class CliMpsControl implements MpsControl {
    private final Path binary;
    private final MpsDirs dirs;
    private final Duration timeout;
    private final Map<String, String> extraEnv;

    /**
     * @param binary   absolute path of nvidia-cuda-mps-control (or the stand-in {@code etc/emu/nvidia-cuda-mps-control})
     * @param extraEnv variables passed through besides the three MPS ones (e.g. {@code GPUCOLO_JAR} for the stand-in)
     */
    public CliMpsControl(Path binary, MpsDirs dirs, Duration timeout, Map<String, String> extraEnv) {
        this.binary = Objects.requireNonNull(binary, "binary");
        if (!binary.isAbsolute()) {
            throw new IllegalArgumentException("the MPS control binary must be an absolute path, got " + binary);
        }
        this.dirs = Objects.requireNonNull(dirs, "dirs");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.extraEnv = Map.copyOf(extraEnv);
    }

    @Override
    public boolean running(int gpu) {
        Path pid = dirs.pidFile(gpu);
        try {
            long p = Long.parseLong(Files.readString(pid, StandardCharsets.UTF_8).trim());
            return ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    @Override
    public void start(int gpu) throws MpsException {
        try {
            for (Path d : List.of(dirs.pipe(gpu), dirs.log(gpu))) {
                Files.createDirectories(d);
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException e) {
            throw new MpsException("GPU " + gpu + ": cannot create MPS directories: " + e.getMessage());
        }
        Result r = exec(gpu, List.of("-d"), "");
        if (r.rc != 0 && !r.output.contains("already running")) {
            throw new MpsException("GPU " + gpu + ": " + binary + " -d failed (exit " + r.rc + "): " + oneLine(r.output));
        }
    }

    @Override
    public List<String> command(int gpu, String... commands) throws MpsException {
        Result r = exec(gpu, List.of(), String.join("\n", commands) + "\n");
        if (r.rc != 0) {
            throw new MpsException("GPU " + gpu + ": MPS command '" + String.join("; ", commands) + "' failed (exit " + r.rc
                    + "): " + oneLine(r.output));
        }
        List<String> out = new ArrayList<>();
        for (String l : r.output.split("\n")) {
            if (!l.isBlank()) {
                out.add(l.trim());
            }
        }
        return out;
    }

    @Override
    public void quit(int gpu) throws MpsException {
        if (!running(gpu)) {
            return;
        }
        command(gpu, "quit");
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!running(gpu)) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new MpsException("GPU " + gpu + ": the MPS control daemon did not quit within " + timeout.toMillis() + " ms");
    }

    private record Result(int rc, String output) {
    }

    private Result exec(int gpu, List<String> args, String stdin) throws MpsException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(extraEnv);
        env.put("CUDA_VISIBLE_DEVICES", Integer.toString(gpu));
        env.put("CUDA_MPS_PIPE_DIRECTORY", dirs.pipe(gpu).toString());
        env.put("CUDA_MPS_LOG_DIRECTORY", dirs.log(gpu).toString());
        pb.redirectErrorStream(true);
        try {
            Path in = ScratchFile.create("gpucolo-mps-in-");
            Path out = ScratchFile.create("gpucolo-mps-out-");
            try {
                Files.writeString(in, stdin, StandardCharsets.UTF_8);
                pb.redirectInput(in.toFile());
                pb.redirectOutput(out.toFile());
                Process p = pb.start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new MpsException("GPU " + gpu + ": " + binary + " did not answer within " + timeout.toMillis() + " ms");
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(in);
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new MpsException("GPU " + gpu + ": cannot run " + binary + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MpsException("GPU " + gpu + ": interrupted");
        }
    }

    private static String oneLine(String s) {
        String t = s.strip().replace('\n', ' ');
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }
}
