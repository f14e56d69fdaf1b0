package io.gpucolo.node.hooks;

import io.gpucolo.node.mps.MpsDirs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The node hooks' settings, from {@code /etc/gpucolo/node.conf} (or {@code GPUCOLO_NODE_CONF}, or
 * {@code --config}): {@code key = value} lines, {@code #} comments; every key optional (defaults below, see
 * {@code etc/node.conf.example}). Every path must be absolute: Slurm hooks run without PATH or working directory.
 *
 * @param mpsControl      {@code mps_control}: nvidia-cuda-mps-control, or the stand-in {@code etc/emu/nvidia-cuda-mps-control}
 * @param scontrol        {@code scontrol}: used to read the job's admin comment and to drain the node
 * @param kill            {@code kill}: sends SIGCONT in the epilog
 * @param stateDir        {@code state_dir}: per-job files and per-GPU registries
 * @param mps             {@code mps_pipe_root}, {@code mps_log_root}: per-GPU MPS directories
 * @param nodedSocket     {@code noded_socket}
 * @param nodedTimeout    {@code noded_timeout_ms}
 * @param mpsTimeout      {@code mps_timeout_ms}: bound on one MPS command, on the start and on quit
 * @param policy          {@code policy}: the policy file (service SLOs for inference registrations)
 * @param passEnv         {@code mps_pass_env}: variables passed to the MPS binary besides the MPS ones (e.g. GPUCOLO_JAR)
 */
public record HookConfig(Path mpsControl, Path scontrol, Path kill, Path stateDir, MpsDirs mps, Path nodedSocket,
                         Duration nodedTimeout, Duration mpsTimeout, Path policy, List<String> passEnv) {
    public static final Path DEFAULT_FILE = Path.of("/etc/gpucolo/node.conf");
    private static final Set<String> KEYS = Set.of("mps_control", "scontrol", "kill", "state_dir", "mps_pipe_root",
            "mps_log_root", "noded_socket", "noded_timeout_ms", "mps_timeout_ms", "policy", "mps_pass_env");

    public HookConfig {
        for (Path p : List.of(mpsControl, scontrol, kill, stateDir, nodedSocket, policy)) {
            Objects.requireNonNull(p, "path");
            if (!p.isAbsolute()) {
                throw new IllegalArgumentException("path must be absolute: " + p);
            }
        }
        Objects.requireNonNull(mps, "mps");
        passEnv = List.copyOf(passEnv);
    }

    public static HookConfig defaults() {
        return fromMap(Map.of(), "defaults");
    }

    /** Reads the file; a missing default file means defaults; a bad line is {@code FILE:LINE:COL: reason}. */
    public static HookConfig read(Path file, boolean mustExist) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            if (mustExist) {
                throw new IllegalArgumentException(file + ": no such file");
            }
            return defaults();
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage());
        }
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            String line = raw.contains("#") ? raw.substring(0, raw.indexOf('#')) : raw;
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            int col = raw.length() - raw.stripLeading().length() + 1;
            if (eq < 0) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ":" + col + ": expected 'key = value'");
            }
            String key = line.substring(0, eq).trim();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ":" + col + ": unknown key '" + key
                        + "' (known: " + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
            }
            m.put(key, line.substring(eq + 1).trim());
        }
        try {
            return fromMap(m, file.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    private static HookConfig fromMap(Map<String, String> m, String where) {
        return new HookConfig(
                Path.of(m.getOrDefault("mps_control", "/usr/bin/nvidia-cuda-mps-control")),
                Path.of(m.getOrDefault("scontrol", "/usr/bin/scontrol")),
                Path.of(m.getOrDefault("kill", "/bin/kill")),
                Path.of(m.getOrDefault("state_dir", "/run/gpucolo")),
                new MpsDirs(Path.of(m.getOrDefault("mps_pipe_root", "/run/gpucolo/mps")),
                        Path.of(m.getOrDefault("mps_log_root", "/var/log/gpucolo/mps"))),
                Path.of(m.getOrDefault("noded_socket", "/run/gpucolo/noded.sock")),
                Duration.ofMillis(millis(m, "noded_timeout_ms", 300)),
                Duration.ofMillis(millis(m, "mps_timeout_ms", 10_000)),
                Path.of(m.getOrDefault("policy", "/etc/gpucolo/gpucolo.yaml")),
                m.containsKey("mps_pass_env") ? List.of(m.get("mps_pass_env").split("[,\\s]+")) : List.of());
    }

    private static long millis(Map<String, String> m, String key, long dflt) {
        String v = m.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            long x = Long.parseLong(v);
            if (x < 1 || x > 600_000) {
                throw new IllegalArgumentException(key + " must be 1..600000 ms, got " + v);
            }
            return x;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a whole number of ms: '" + v + "'");
        }
    }

    /** Per-job files: {@code STATE/jobs/JOBID}. */
    Path jobFile(String jobId) {
        return stateDir.resolve("jobs").resolve(jobId);
    }

    /** Registry of the jobs using GPU N's MPS daemon: {@code STATE/gpus/gN/JOBID}. */
    Path gpuRegistry(int gpu) {
        return stateDir.resolve("gpus").resolve("g" + gpu);
    }

    /** A per-job launcher directory, owned by the job's user: {@code STATE/launcher/JOBID}. */
    Path launcherDir(String jobId) {
        return stateDir.resolve("launcher").resolve(jobId);
    }

    /** An empty pipe directory for jobs that run outside MPS (time-sliced). */
    Path noMpsDir(String jobId) {
        return stateDir.resolve("nomps").resolve(jobId);
    }
}
