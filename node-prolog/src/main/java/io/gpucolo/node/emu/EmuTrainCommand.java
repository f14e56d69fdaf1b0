package io.gpucolo.node.emu;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gpucolo emu-train}: a training stand-in. Each iteration queues {@code --kernels} kernels of
 * {@code --iteration-ms / --kernels} ms on the GPU and waits for the last one (a CUDA synchronise), then sleeps
 * the cooperative sleep (the number of milliseconds in the file named by {@code GPUCOLO_SLEEP_FILE}, re-read
 * every iteration). Progress: a line {@code progress iterations=N work_ms=W elapsed_s=T} on stdout every
 * {@code --report-every} iterations and, with {@code --progress-file}, the same line written atomically to that
 * file. SIGUSR1 (the launcher's checkpoint signal) finishes the iteration, writes the iteration count to
 * {@code --checkpoint} and exits 0; a later start resumes from it.
 */
@Command(name = "emu-train", mixinStandardHelpOptions = true, description = "Training stand-in on the emulated GPU.")
public final class EmuTrainCommand implements Callable<Integer> {
    @Option(names = "--iteration-ms", description = "GPU work per iteration, ms on a whole idle GPU (default: ${DEFAULT-VALUE})")
    double iterationMs = 200;

    @Option(names = "--kernels", description = "kernels per iteration (default: ${DEFAULT-VALUE})")
    int kernels = 4;

    @Option(names = "--iterations", description = "stop after this many iterations; 0 = run until signalled (default: ${DEFAULT-VALUE})")
    long iterations;

    @Option(names = "--memory-mib", description = "GPU memory the job holds (default: ${DEFAULT-VALUE})")
    long memoryMiB = 4096;

    @Option(names = "--report-every", description = "report progress every N iterations (default: ${DEFAULT-VALUE})")
    int reportEvery = 1;

    @Option(names = "--progress-file", description = "file rewritten with the latest progress line")
    Path progressFile;

    @Option(names = "--checkpoint", description = "checkpoint file: read at start, written on SIGUSR1")
    Path checkpoint;

    @Option(names = "--model", description = "model name (for the record) (default: ${DEFAULT-VALUE})")
    String model = "train";

    @Override
    public Integer call() throws Exception {
        if (!(iterationMs > 0) || kernels < 1 || iterations < 0 || reportEvery < 1 || memoryMiB < 0) {
            throw new IllegalArgumentException("--iteration-ms > 0, --kernels >= 1, --iterations >= 0, --report-every >= 1 required");
        }
        AtomicBoolean checkpointRequested = new AtomicBoolean();
        Signals.onUsr1(() -> checkpointRequested.set(true));
        long done = readCheckpoint();
        long startNs = System.nanoTime();
        PrintStream out = System.out;
        CooperativeSleep sleep = CooperativeSleep.fromEnv(System.getenv());
        try (StandIn.Context ctx = StandIn.open(System.getenv(), ClientKind.TRAIN, model, 1, memoryMiB)) {
            out.printf(Locale.ROOT, "emu-train: attached cap=%d start_iteration=%d%n", ctx.gpu().capPercent(), done);
            out.flush();
            while (iterations == 0 || done < iterations) {
                CompletableFuture<EmuGpuClient.Done> last = null;
                for (int k = 0; k < kernels; k++) {
                    last = ctx.gpu().submitWork(iterationMs / kernels);
                }
                last.get();
                done++;
                if (done % reportEvery == 0) {
                    report(out, done, startNs);
                }
                if (checkpointRequested.get()) {
                    writeCheckpoint(done);
                    out.println("emu-train: checkpoint at iteration " + done + ", exiting");
                    return 0;
                }
                sleep.pause();
            }
            report(out, done, startNs);
        }
        return 0;
    }

    private void report(PrintStream out, long done, long startNs) throws IOException {
        String line = String.format(Locale.ROOT, "progress iterations=%d work_ms=%.1f elapsed_s=%.3f",
                done, done * iterationMs, (System.nanoTime() - startNs) / 1e9);
        out.println(line);
        out.flush();
        if (progressFile != null) {
            writeAtomically(progressFile, line + "\n");
        }
    }

    private long readCheckpoint() throws IOException {
        if (checkpoint == null || !Files.exists(checkpoint)) {
            return 0;
        }
        String s = Files.readString(checkpoint, StandardCharsets.UTF_8).trim();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(checkpoint + ":1:1: checkpoint is not an iteration count: '" + s + "'");
        }
    }

    private void writeCheckpoint(long done) throws IOException {
        if (checkpoint != null) {
            writeAtomically(checkpoint, done + "\n");
        }
    }

    static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
