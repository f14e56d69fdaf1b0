package io.gpucolo.node.probe;

import io.gpucolo.admission.latency.ProfileRow;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gpucolo probe}: discover the node's GPUs through JCuda and print them as a cluster-state node entry;
 * {@code gpucolo probe --profile --out FILE}: measure the calibration profile (docs/PROBE.md). Without a GPU or
 * driver: one line on stderr and exit code 3, never a stack trace; no {@code jcuda} class is loaded before
 * {@link CudaDriver} says the driver loads.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Discover GPUs (JCuda); with --profile, measure a calibration profile. Exit 3 when there is no GPU.")
public final class ProbeCommand implements Callable<Integer> {
    static final int NO_GPU = 3;

    @Option(names = "--profile", description = "measure the calibration profile (needs --out and a running MPS daemon)")
    boolean profile;

    @Option(names = "--out", description = "profile file to write (written atomically, only when complete)")
    Path out;

    @Option(names = "--node", description = "node name in the output (default: this host's short name)")
    String node;

    @Option(names = "--device", description = "GPU index to profile (default: ${DEFAULT-VALUE})")
    int device;

    @Option(names = "--shares", description = "inference MPS shares (default: ${DEFAULT-VALUE})")
    String shares = "100,50,25";

    @Option(names = "--batches", description = "batch sizes (default: ${DEFAULT-VALUE})")
    String batches = "1,4,16";

    @Option(names = "--training", description = "co-running training SHARE:DUTY list, 0:0 = alone (default: ${DEFAULT-VALUE})")
    String training = "0:0,50:1,50:0.5,100:1";

    @Option(names = "--iterations", description = "measured batches per cell (default: ${DEFAULT-VALUE})")
    int iterations = 200;

    @Option(names = "--n", description = "matrix size of the GEMM (default: ${DEFAULT-VALUE})")
    int n = 512;

    @Option(names = "--model-name", description = "model name of the written profile (default: ${DEFAULT-VALUE})")
    String modelName = "gemm512";

    @Option(names = "--worker", hidden = true)
    String worker;

    @Option(names = "--batch", hidden = true)
    int batch = 1;

    @Option(names = "--duty", hidden = true)
    double duty = 1;

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        List<Integer> shareList = ProfileGrid.ints("--shares", shares, 1, 100);
        ProfileGrid grid = new ProfileGrid(shareList, ProfileGrid.ints("--batches", batches, 1, 4096),
                ProfileGrid.training(training));
        if (profile && out == null) {
            throw new IllegalArgumentException("--profile needs --out FILE");
        }
        if (iterations < 10 || iterations > 100_000) {
            throw new IllegalArgumentException("--iterations must be 10..100000");
        }
        Optional<String> missing = CudaDriver.unavailable(System.getenv());
        if (missing.isPresent()) {
            err.println("gpucolo probe: " + missing.get());
            return NO_GPU;
        }
        try {
            if (worker != null) {
                return worker.equals("train") ? ProbeWorker.train(device, n, batch, duty, System.out)
                        : ProbeWorker.infer(device, n, batch, iterations, System.out);
            }
            List<GpuInfo> gpus = JCudaProbe.discover();
            if (gpus.isEmpty()) {
                err.println("gpucolo probe: the NVIDIA driver loads but reports no GPU");
                return NO_GPU;
            }
            if (!profile) {
                System.out.print(GpuInfo.yaml(node != null ? node : hostName(), gpus));
                return 0;
            }
            return runProfile(gpus, grid, err);
        } catch (LinkageError | RuntimeException e) {
            err.println("gpucolo probe: CUDA failed: " + e);
            return NO_GPU;
        }
    }

    private int runProfile(List<GpuInfo> gpus, ProfileGrid grid, PrintStream err) throws IOException, InterruptedException {
        if (device < 0 || device >= gpus.size()) {
            throw new IllegalArgumentException("--device " + device + ": this node has GPUs 0.." + (gpus.size() - 1));
        }
        if (System.getenv("CUDA_MPS_PIPE_DIRECTORY") == null) {
            throw new IllegalArgumentException("start an MPS control daemon and export its CUDA_MPS_PIPE_DIRECTORY first "
                    + "(MPS shares are measured under MPS; see docs/PROBE.md)");
        }
        List<String> java = new ArrayList<>(List.of(ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + "/bin/java"), "-cp", System.getProperty("java.class.path"),
                ProbeMain.class.getName()));
        long t0 = System.nanoTime();
        List<ProfileRow> rows;
        try {
            rows = new ProfileRunner(java, device, n, iterations, err).measure(grid);
        } catch (IOException e) {
            err.println("gpucolo probe: profile stopped: " + e.getMessage() + "; nothing written to " + out);
            return 1;
        }
        ProfileRunner.write(out, gpus.get(device).model(), modelName, rows);
        err.printf("gpucolo probe: profile of %d cells written to %s in %.1f s%n", rows.size(), out,
                (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private static String hostName() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            int dot = h.indexOf('.');
            return dot > 0 ? h.substring(0, dot) : h;
        } catch (IOException e) {
            return "localhost";
        }
    }
}
