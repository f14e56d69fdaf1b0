package io.gpucolo.node.emu;

import io.gpucolo.admission.latency.LatencyModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gpucolo emu-gpu}: runs the emulated-GPU daemon in the foreground until SIGTERM/SIGINT. */
@Command(name = "emu-gpu", mixinStandardHelpOptions = true,
        description = "Run an emulated GPU daemon (see docs/EMULATED-GPU.md); clients find it through GPUCOLO_EMU_GPU_SOCKET.")
public final class EmuGpuCommand implements Callable<Integer> {
    @Option(names = "--socket", description = "Unix socket to listen on (default: ${DEFAULT-VALUE})")
    Path socket = Path.of(ClientEnv.DEFAULT_SOCKET);

    @Option(names = "--gpus", description = "number of emulated GPUs served (default: ${DEFAULT-VALUE})")
    int gpus = 1;

    @Option(names = "--memory-mib", description = "memory of each emulated GPU in MiB (default: ${DEFAULT-VALUE})")
    long memoryMiB = 24_576;

    @Option(names = "--gpu-model", description = "GPU model name given to the latency model (default: ${DEFAULT-VALUE})")
    String gpuModel = "RTX3090";

    @Option(names = "--profile", description = "extra calibration profile file(s) (format: docs/MODEL.md)")
    List<Path> profiles = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (gpus < 1 || gpus > 64 || memoryMiB < 1) {
            throw new IllegalArgumentException("--gpus must be 1..64 and --memory-mib positive");
        }
        LatencyModel model = EmuModels.latencyModel(profiles);
        EmuGpuServer server = new EmuGpuServer(socket, new ContentionLaw(model, gpuModel), gpus, memoryMiB, System::nanoTime);
        server.start();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (java.io.IOException ignored) {
                // exiting anyway
            }
            stop.countDown();
        }));
        System.out.println("emu-gpu: listening on " + socket.toAbsolutePath() + " (" + gpus + " x " + gpuModel + ", "
                + memoryMiB + " MiB, calibrated latency model)");
        System.out.flush();
        // a daemon whose socket was deleted (a test's scratch directory cleaned up) can serve nobody: exit
        while (!stop.await(2, java.util.concurrent.TimeUnit.SECONDS)) {
            if (!java.nio.file.Files.exists(socket)) {
                System.out.println("emu-gpu: socket " + socket + " removed; exiting");
                server.close();
                return 0;
            }
        }
        return 0;
    }
}
