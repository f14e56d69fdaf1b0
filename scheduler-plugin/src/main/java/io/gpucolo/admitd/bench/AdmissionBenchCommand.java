package io.gpucolo.admitd.bench;

import io.gpucolo.admission.inventory.PaiMachineSpec;
import io.gpucolo.admission.latency.CalibratedLatencyModel;
import io.gpucolo.admission.latency.LatencyModel;
import io.gpucolo.admission.model.Cluster;
import io.gpucolo.admission.model.Decision;
import io.gpucolo.admission.model.InferenceService;
import io.gpucolo.admission.model.TrainingRequest;
import io.gpucolo.admission.pipeline.Admission;
import io.gpucolo.admission.pipeline.BindPort;
import io.gpucolo.admission.pipeline.Status;
import io.gpucolo.admission.plugins.Policies;
import io.gpucolo.admission.policy.Policy;
import io.gpucolo.admission.state.ClusterState;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gpucolo bench admission}: decision latency of the admission pipeline on a cluster of the real PAI
 * 2020 shape (1,897 machines, 6,742 GPUs from {@code pai_machine_spec.csv}) holding inference services,
 * with a queue of training requests admitted one after another on one thread (decide, reserve, permit,
 * bind to an in-memory port). Prints p50/p99 per decision, decisions per second and the heap the state
 * retains; the last line is {@code admission p99 ms: X}.
 */
@Command(name = "admission", mixinStandardHelpOptions = true,
        description = "Admission decision latency on the PAI 2020 cluster shape (last line: admission p99 ms: X).")
public final class AdmissionBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--machines", paramLabel = "FILE",
            description = "pai_machine_spec.csv (default: <shared>/data/pai-v2020/pai_machine_spec.csv, where <shared> "
                    + "is -Dgpucolo.shared or ../shared)")
    Path machines;

    @Option(names = "--services", defaultValue = "5000", description = "inference services placed (default: ${DEFAULT-VALUE})")
    int services;

    @Option(names = "--requests", defaultValue = "10000", description = "training requests decided (default: ${DEFAULT-VALUE})")
    int requests;

    @Option(names = "--warmup", defaultValue = "20000", description = "side-effect-free decisions run first to warm the JIT "
            + "(default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--placement", defaultValue = "headroom", description = "placement policy (default: ${DEFAULT-VALUE})")
    String placement;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path file = machines != null ? machines : defaultMachines();
        if (!Files.isReadable(file)) {
            spec.commandLine().getErr().println("gpucolo bench admission: cannot read " + file + " (give --machines FILE)");
            return 2;
        }
        if (services < 0 || requests < 1 || warmup < 0) {
            spec.commandLine().getErr().println("gpucolo bench admission: --services and --warmup must be >= 0, "
                    + "--requests >= 1");
            return 2;
        }
        LatencyModel model = CalibratedLatencyModel.builtIn();
        Cluster cluster = PaiMachineSpec.read(file);
        ClusterState state = new ClusterState(cluster);
        SplittableRandom rnd = new SplittableRandom(seed);
        List<InferenceService> catalog = AdmissionWorkload.services(model, cluster);
        int inferenceGpus = AdmissionWorkload.placeServices(state, model, catalog, services, rnd);
        Admission admission = new Admission(Policies.byName(placement, Policy.defaults(), model));
        out.printf(Locale.ROOT, "cluster: %d machines, %d GPUs (%s); %d inference services on %d GPUs%n",
                cluster.nodes().size(), cluster.gpuCount(), file.getFileName(), services, inferenceGpus);
        out.printf(Locale.ROOT, "policy: %s (built-in defaults), seed %d, one thread%n", placement, seed);

        long t0 = System.nanoTime();
        admission.decide(AdmissionWorkload.requests("index", 1, rnd).get(0), state);
        out.printf(Locale.ROOT, "index build (first decision: capacity of every GPU): %.1f ms%n",
                (System.nanoTime() - t0) / 1e6);
        for (TrainingRequest r : AdmissionWorkload.requests("warmup", warmup, rnd)) {
            admission.decide(r, state);
        }

        List<TrainingRequest> queue = AdmissionWorkload.requests("job", requests, rnd);
        BindPort bind = (r, p) -> Status.success();
        Histogram h = new Histogram(3_600_000_000_000L, 3);
        Histogram cpu = new Histogram(3_600_000_000_000L, 3);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int[] counts = new int[3];
        long start = System.nanoTime();
        for (TrainingRequest r : queue) {
            long c = threads.getCurrentThreadCpuTime();
            long s = System.nanoTime();
            Decision d = admission.admit(r, state, bind);
            h.recordValue(Math.max(1, System.nanoTime() - s));
            cpu.recordValue(Math.max(1, threads.getCurrentThreadCpuTime() - c));
            counts[d instanceof Decision.Admit ? 0 : d instanceof Decision.Defer ? 1 : 2]++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "decisions: %d (admit %d, defer %d, reject %d) in %.2f s%n", requests, counts[0],
                counts[1], counts[2], seconds);
        out.printf(Locale.ROOT, "latency per decision: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms%n",
                ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9), h.getMaxValue() / 1e6);
        out.printf(Locale.ROOT, "CPU time per decision (immune to other processes): p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
                ms(cpu, 50), ms(cpu, 99), cpu.getMaxValue() / 1e6);
        out.printf(Locale.ROOT, "throughput: %.0f decisions/s; load average during the run %.1f on %d CPUs%n",
                requests / seconds, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "heap: %.1f MB retained after the run (cluster state, index, caches, latency model), "
                + "max heap %.0f MB%n", retainedMb(), Runtime.getRuntime().maxMemory() / 1048576.0);
        if (state.gpuCount() == 0) {
            out.println("(empty cluster)");
        }
        out.printf(Locale.ROOT, "admission p99 ms: %.3f%n", ms(h, 99));
        out.flush();
        return 0;
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e6;
    }

    /** Heap in use after full collections: what the live objects (the cluster state above all) retain. */
    private static double retainedMb() {
        var mem = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return mem.getHeapMemoryUsage().getUsed() / 1048576.0;
    }

    private static Path defaultMachines() {
        String shared = System.getProperty("gpucolo.shared", "../shared");
        return Path.of(shared, "data", "pai-v2020", "pai_machine_spec.csv");
    }
}
