package io.gpucolo.node.probe;

import io.gpucolo.admission.latency.LatencyProfile;
import io.gpucolo.admission.latency.ProfileFormat;
import io.gpucolo.admission.latency.ProfileRow;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the calibration grid with worker processes and writes the profile in the admission core's format
 * ({@link ProfileFormat}, docs/MODEL.md). For each cell a training worker (if any) starts with
 * {@code CUDA_MPS_ACTIVE_THREAD_PERCENTAGE=T} and duty d, then an inference worker with share p measures the batch;
 * both under the MPS daemon of {@code CUDA_MPS_PIPE_DIRECTORY}. The profile is written to a temporary file and
 * renamed over {@code out} only when every cell succeeded: a GPU that errors or disappears mid-profile stops the run,
 * is reported, and leaves no partial profile.
 */
final class ProfileRunner {
    private static final Pattern RESULT = Pattern.compile("result mean_ms=([0-9.eE+-]+) p99_ms=([0-9.eE+-]+)");
    private final List<String> javaCommand;
    private final int device;
    private final int n;
    private final int iterations;
    private final PrintStream log;

    /** @param javaCommand how to start a worker: java, options, class path, main class (arguments are appended) */
    ProfileRunner(List<String> javaCommand, int device, int n, int iterations, PrintStream log) {
        this.javaCommand = List.copyOf(javaCommand);
        this.device = device;
        this.n = n;
        this.iterations = iterations;
        this.log = log;
    }

    /** Measures the grid; returns the rows, or throws IOException naming the cell that failed. */
    List<ProfileRow> measure(ProfileGrid grid) throws IOException, InterruptedException {
        List<ProfileRow> rows = new ArrayList<>();
        int cell = 0;
        for (double[] t : grid.training()) {
            Process train = null;
            try {
                if (t[0] > 0) {
                    train = worker(List.of("--worker", "train", "--batch", "64", "--duty", Double.toString(t[1])), (int) t[0]);
                    awaitRunning(train, t);
                }
                for (int share : grid.shares()) {
                    for (int batch : grid.batches()) {
                        cell++;
                        if (train != null && !train.isAlive()) {
                            throw new IOException("the training worker died (exit " + train.exitValue() + ")");
                        }
                        double[] r = inferCell(share, batch);
                        log.printf(Locale.ROOT, "[%d/%d] share=%d batch=%d training=%.0f%%x%.2f mean=%.3f ms p99=%.3f ms%n",
                                cell, grid.cells(), share, batch, t[0], t[1], r[0], r[1]);
                        rows.add(new ProfileRow(share, batch, 1, t[0], t[1], r[0], r[1]));
                    }
                }
            } finally {
                if (train != null) {
                    train.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
        return rows;
    }

    /** Measuring before the training load runs would record "with training" cells without it: wait for its line. */
    private static void awaitRunning(Process train, double[] t) throws IOException, InterruptedException {
        java.util.concurrent.CompletableFuture<String> line = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(train.getInputStream(),
                        StandardCharsets.UTF_8));
                StringBuilder seen = new StringBuilder();
                String l;
                while ((l = r.readLine()) != null) {
                    if (l.startsWith(ProbeWorker.RUNNING)) {
                        return "";
                    }
                    seen.append(l).append(' ');
                }
                return seen.toString();
            } catch (IOException e) {
                return e.getMessage();
            }
        });
        String problem;
        try {
            problem = line.get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            problem = "no sign of life within 120 s";
        }
        if (!problem.isEmpty()) {
            throw new IOException(String.format(Locale.ROOT, "training load %.0f%% x %.2f did not start: %s", t[0], t[1],
                    problem.strip()));
        }
    }

    private double[] inferCell(int share, int batch) throws IOException, InterruptedException {
        Process p = worker(List.of("--worker", "infer", "--batch", Integer.toString(batch),
                "--iterations", Integer.toString(iterations)), share);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("share " + share + " batch " + batch + ": the measurement did not finish in 300 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Matcher m = RESULT.matcher(out);
        if (p.exitValue() != 0 || !m.find()) {
            throw new IOException("share " + share + " batch " + batch + ": worker failed (exit " + p.exitValue() + "): "
                    + out.strip().replace('\n', ' '));
        }
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
    }

    private Process worker(List<String> args, int share) throws IOException {
        List<String> cmd = new ArrayList<>(javaCommand);
        cmd.add("probe");
        cmd.addAll(args);
        cmd.addAll(List.of("--device", Integer.toString(device), "--n", Integer.toString(n)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("CUDA_MPS_ACTIVE_THREAD_PERCENTAGE", Integer.toString(share));
        return pb.start();
    }

    /** Writes the profile atomically: temp file in the same directory, then rename. */
    static void write(Path out, String gpuModel, String modelName, List<ProfileRow> rows) throws IOException {
        LatencyProfile profile = new LatencyProfile(gpuModel, modelName,
                "gpucolo probe --profile, batched GEMM, measured " + Instant.now(), rows);
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, out.getFileName().toString(), ".partial");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                ProfileFormat.write(profile, w);
            }
            ProfileFormat.read(tmp);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
