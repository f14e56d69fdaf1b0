package io.gpucolo.admission.cli;

import io.gpucolo.admission.headroom.HeadroomEstimator;
import io.gpucolo.admission.latency.CalibratedLatencyModel;
import io.gpucolo.admission.model.Gpu;
import io.gpucolo.admission.model.GpuId;
import io.gpucolo.admission.model.InferenceService;
import io.gpucolo.admission.model.ServiceLoad;
import io.gpucolo.admission.state.GpuState;
import io.gpucolo.admission.state.Guest;
import io.gpucolo.admission.state.ResidentService;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gpucolo bench headroom}: time of one {@link HeadroomEstimator#addablePercent} call on the calibrated
 * model, over seeded random GPUs (1-3 resident services of the built-in models, SLOs 2-6x their solo latency,
 * loads up to 80% of capacity, 0-50% training already placed). Last line: {@code headroom p99 us: X}.
 */
@Command(name = "headroom", mixinStandardHelpOptions = true,
        description = "Time HeadroomEstimator.addablePercent on seeded random GPUs (last line: headroom p99 us: X).")
public final class HeadroomBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--gpus", defaultValue = "10000", description = "distinct GPU states (default: ${DEFAULT-VALUE})")
    int gpus;

    @Option(names = "--calls", defaultValue = "200000", description = "timed calls (default: ${DEFAULT-VALUE})")
    int calls;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() {
        if (gpus < 1 || calls < 1) {
            spec.commandLine().getErr().println("gpucolo bench headroom: --gpus and --calls must be positive");
            return 2;
        }
        CalibratedLatencyModel model = CalibratedLatencyModel.builtIn();
        HeadroomEstimator h = new HeadroomEstimator(model, 0.1);
        List<GpuState> states = states(model, new SplittableRandom(seed));
        Map<String, ServiceLoad> none = Map.of();
        long sink = 0;
        for (int i = 0; i < Math.min(calls, 50_000); i++) {
            sink += h.addablePercent(states.get(i % gpus), none);
        }
        long[] ns = new long[calls];
        long all = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            long t = System.nanoTime();
            sink += h.addablePercent(states.get(i % gpus), none);
            ns[i] = System.nanoTime() - t;
        }
        double seconds = (System.nanoTime() - all) / 1e9;
        Arrays.sort(ns);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%d calls on %d GPU states, mean addable %.1f%%%n", calls, gpus, (double) sink / (calls
                + Math.min(calls, 50_000)));
        out.printf(Locale.ROOT, "p50 %.2f us, p99 %.2f us, max %.2f us, %.0f calls/s on one thread%n",
                ns[calls / 2] / 1e3, ns[(int) (calls * 0.99)] / 1e3, ns[calls - 1] / 1e3, calls / seconds);
        out.printf(Locale.ROOT, "headroom p99 us: %.2f%n", ns[(int) (calls * 0.99)] / 1e3);
        out.flush();
        return 0;
    }

    private List<GpuState> states(CalibratedLatencyModel model, SplittableRandom rnd) {
        List<String> models = model.models();
        int[] batches = {1, 2, 4, 8, 16, 32};
        List<GpuState> out = new ArrayList<>(gpus);
        for (int g = 0; g < gpus; g++) {
            Gpu gpu = new Gpu(new GpuId("n" + g, 0), rnd.nextInt(4) == 0 ? "V100" : "A100-80GB", 81_920, 108);
            int n = 1 + rnd.nextInt(3);
            List<ResidentService> services = new ArrayList<>();
            for (int s = 0; s < n; s++) {
                String m = models.get(rnd.nextInt(models.size()));
                int b = batches[rnd.nextInt(batches.length)];
                double solo = model.soloBatchLatencyMs(m, gpu.model(), b);
                double capacity = 1000.0 * b / solo / n;
                ServiceLoad load = new ServiceLoad(capacity * 0.8 * rnd.nextDouble(), b);
                services.add(new ResidentService("j" + g + "-" + s, new InferenceService("s" + s,
                        solo * (2 + 4 * rnd.nextDouble()), Set.of("*"), m, load, 2048), load));
            }
            int training = rnd.nextInt(51);
            List<Guest> guests = training == 0 ? List.of() : List.of(new Guest("t" + g, "u", training, 4096, true));
            out.add(new GpuState(gpu, services, guests, 1));
        }
        return out;
    }
}
