package io.gpucolo.sim.cli;

import io.gpucolo.admission.latency.CalibratedLatencyModel;
import io.gpucolo.admission.policy.Policy;
import io.gpucolo.sim.engine.SimSetup;
import io.gpucolo.sim.engine.Simulation;
import io.gpucolo.sim.metrics.RunResult;
import io.gpucolo.sim.plant.GpuPlant;
import io.gpucolo.sim.policies.AdmissionPlacer;
import io.gpucolo.sim.policies.PolicyKind;
import io.gpucolo.sim.report.Summary;
import io.gpucolo.sim.traces.LoadSeries;
import io.gpucolo.sim.traces.TaskTable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Runs policies on one workload with the built-in calibrated latency model, each on a fresh plant, with a
 * progress bar (virtual hours) on the terminal. The only place the wall clock is read is here, for reporting.
 */
final class Experiment {
    static final int BATCH = 8;
    static final double RHO = 0.5;

    private Experiment() {
    }

    static GpuPlant plant(String gpuModel, double sloFactor, long seed) {
        CalibratedLatencyModel m = CalibratedLatencyModel.builtIn();
        return new GpuPlant(m, gpuModel, m.models(), BATCH, RHO, sloFactor, seed);
    }

    static Summary run(TaskTable tasks, List<PolicyKind> policies, String gpuModel, double sloFactor, long seed,
                       LoadSeries load, int gpuMemMiB, int capacity, boolean progress, PrintStream err) {
        List<RunResult> results = new ArrayList<>();
        long[] span = tasks.span();
        for (PolicyKind p : policies) {
            SimSetup setup = new SimSetup(plant(gpuModel, sloFactor, seed), load, gpuMemMiB, capacity,
                    AdmissionPlacer.factory(Policy.defaults(), CalibratedLatencyModel.builtIn(), BATCH));
            Simulation sim = new Simulation(tasks, setup);
            if (progress) {
                long hours = Math.max(1, (span[1] - span[0]) / 3600);
                try (ProgressBar bar = new ProgressBarBuilder().setTaskName(String.format("%-14s", p.key()))
                        .setInitialMax(hours).setUnit(" h", 1).setStyle(ProgressBarStyle.ASCII)
                        .setConsumer(new ConsoleProgressBarConsumer(err)).setUpdateIntervalMillis(500).build()) {
                    results.add(sim.run(p, ms -> bar.stepTo(Math.min(hours, (ms / 1000 - span[0]) / 3600)),
                            System::nanoTime).result());
                    bar.stepTo(hours);
                }
            } else {
                results.add(sim.run(p, null, System::nanoTime).result());
            }
        }
        return new Summary(results);
    }

    static List<PolicyKind> policies(String list) {
        List<PolicyKind> out = new ArrayList<>();
        for (String s : list.split(",")) {
            if (!s.isBlank()) {
                PolicyKind k = PolicyKind.parse(s);
                if (!out.contains(k)) {
                    out.add(k);
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--policies names no policy");
        }
        return out;
    }
}
