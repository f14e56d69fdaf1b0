package io.gpucolo.sim.cli;

import io.gpucolo.sim.policies.PolicyKind;
import io.gpucolo.sim.report.Summary;
import io.gpucolo.sim.synth.PaiSynth;
import io.gpucolo.sim.synth.SynthSpec;
import io.gpucolo.sim.synth.SynthTables;
import io.gpucolo.sim.traces.LabelRules;
import io.gpucolo.sim.traces.LoadSeries;
import io.gpucolo.sim.traces.TaskTable;
import io.gpucolo.sim.traces.TraceIssues;
import io.gpucolo.sim.traces.TraceOptions;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gpucolo bench sim}: the full-scale synthetic replay (57 days, about 1.2 million task pieces) generated in
 * memory, each policy timed on its own; ours ({@code headroom}) last. Wall time and the run thread's CPU time
 * (the latter less sensitive to a busy machine). Last line: {@code sim full-scale wall s: X} (ours).
 */
@Command(name = "sim", mixinStandardHelpOptions = true,
        description = "Full-scale synthetic PAI 2020 replay: wall time, peak heap, events per second per policy.")
public final class BenchSimCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--scale", defaultValue = "1.0", description = "trace scale (default: ${DEFAULT-VALUE})")
    double scale;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--others", defaultValue = "dedicated,separate-5to1,gslice,first-fit,gpucolo-paper",
            description = "policies timed before ours (empty: none)")
    String others;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        TraceIssues issues = new TraceIssues(false);
        TaskTable tasks = SynthTables.inMemory(new PaiSynth(new SynthSpec(scale, SynthSpec.FULL_DAYS, seed, 0.75)),
                new TraceOptions(LabelRules.DEFAULT, TraceOptions.PAPER_GPU_MEM_MIB, TraceOptions.PAI_GPU_TYPES, false),
                issues);
        o.printf("workload: synthetic PAI 2020 scale %.2f, %d task pieces (%d inference), generated in memory in %.2f s%n",
                scale, tasks.size(), tasks.count(TaskTable.INFERENCE), (System.nanoTime() - t0) / 1e9);
        List<PolicyKind> order = new ArrayList<>();
        if (!others.isBlank()) {
            order.addAll(Experiment.policies(others));
        }
        order.remove(PolicyKind.HEADROOM);
        order.add(PolicyKind.HEADROOM);
        double ours = 0;
        for (PolicyKind p : order) {
            resetPeaks();
            long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            Summary s = Experiment.run(tasks, List.of(p), "A100-80GB", 0.96, seed, LoadSeries.FLAT,
                    (int) (TraceOptions.PAPER_GPU_MEM_MIB), 0, false, System.err);
            var r = s.runs().get(0);
            double cpu = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0) / 1e9;
            o.printf("%-14s wall %7.2f s  cpu %7.2f s  events %,11d  events/s %,12.0f  control steps %,10d  peak heap %6.0f MiB  avg GPUs %8.1f%n",
                    p.key(), r.wallSeconds(), cpu, r.events(), r.events() / Math.max(1e-9, r.wallSeconds()), r.controlSteps(),
                    peakHeapMiB(), r.avgGpus());
            o.flush();
            ours = r.wallSeconds();
        }
        o.printf("sim full-scale wall s: %.2f%n", ours);
        return 0;
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean b : ManagementFactory.getMemoryPoolMXBeans()) {
            if (b.getType() == MemoryType.HEAP) {
                b.resetPeakUsage();
            }
        }
    }

    private static double peakHeapMiB() {
        long sum = 0;
        for (MemoryPoolMXBean b : ManagementFactory.getMemoryPoolMXBeans()) {
            if (b.getType() == MemoryType.HEAP) {
                sum += b.getPeakUsage().getUsed();
            }
        }
        return sum / 1048576.0;
    }
}
