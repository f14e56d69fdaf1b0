package io.gpucolo.sim.cli;

import io.gpucolo.sim.policies.PolicyKind;
import io.gpucolo.sim.report.HtmlReport;
import io.gpucolo.sim.report.Summary;
import io.gpucolo.sim.synth.PaiSynth;
import io.gpucolo.sim.synth.SynthSpec;
import io.gpucolo.sim.synth.SynthTables;
import io.gpucolo.sim.traces.ClusterSpec;
import io.gpucolo.sim.traces.LabelRules;
import io.gpucolo.sim.traces.LoadSeries;
import io.gpucolo.sim.traces.OpenbReader;
import io.gpucolo.sim.traces.OwnCsvReader;
import io.gpucolo.sim.traces.PaiTraceReader;
import io.gpucolo.sim.traces.TaskTable;
import io.gpucolo.sim.traces.TraceIssues;
import io.gpucolo.sim.traces.TraceOptions;
import io.gpucolo.sim.traces.Workloads;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gpucolo sim}: replay a trace under several policies and write the summary and the report. */
@Command(name = "sim", mixinStandardHelpOptions = true, subcommands = SimPaperCommand.class,
        description = {"Trace-driven simulation: GPUs needed, SLO violations and training slowdown per policy.",
                "Writes DIR/summary.csv and DIR/report.html and prints the summary. See docs/SIMULATOR.md."})
public final class SimCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--trace", split = ",", paramLabel = "FILE", description = "workload file(s); PAI 2020 tables may be several")
    List<Path> trace = new ArrayList<>();

    @Option(names = "--synthetic", paramLabel = "SCALE", description = "instead of --trace: a synthetic PAI 2020 trace of this scale (1 = full), in memory")
    Double synthetic;

    @Option(names = "--format", defaultValue = "pai2020", description = "pai2020, openb or csv (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--cluster", paramLabel = "FILE", description = "PAI 2020 machine spec or openb node list: caps the GPUs (jobs queue); without it GPUs open on demand")
    Path cluster;

    @Option(names = "--load", paramLabel = "FILE", description = "inference load shape: ServeGen rate series or Azure LLM arrivals")
    Path load;

    @Option(names = "--load-model", paramLabel = "NAME", description = "ServeGen model whose series to use (default: the first)")
    String loadModel;

    @Option(names = "--policies", defaultValue = "dedicated,separate-5to1,gslice,first-fit,gpucolo-paper,headroom",
            description = "comma-separated (default: ${DEFAULT-VALUE})")
    String policies;

    /** GPU models of the openb node list, accepted in gpu_spec when no --cluster is given. */
    static final List<String> OPENB_GPU_TYPES = List.of("", "A10", "A100-SXM4-80GB", "G2", "G3", "GPU-series-1",
            "GPU-series-2", "P100", "T4", "V100M16", "V100M32");

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (required)")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "seed (profiles, synthetic trace, ratio sampling)")
    long seed;

    @Option(names = "--strict", description = "the first bad trace row is fatal (default: counted, skipped, reported)")
    boolean strict;

    @Option(names = "--ratio", paramLabel = "I:T", description = "keep inference:training piece counts at I:T (the paper: 3:1)")
    String ratio;

    @Option(names = "--burst-days", paramLabel = "A:B", description = "duplicate inference arriving between day A and day B (the paper: 20:40)")
    String burst;

    @Option(names = "--slo-factor", defaultValue = "0.96", description = "SLO = latency on the requested slice / factor (default: ${DEFAULT-VALUE})")
    double sloFactor;

    @Option(names = "--gpu-model", defaultValue = "A100-80GB", description = "GPU model of the plant (default: ${DEFAULT-VALUE})")
    String gpuModel;

    @Option(names = "--gpu-mem-gb", defaultValue = "32", description = "GPU memory for packing and splitting, GB (default: ${DEFAULT-VALUE}, the paper's)")
    int gpuMemGb;

    @Option(names = "--inference-tasks", split = ",", description = "PAI task names labeled inference (default: inference,serving,predict,predictor)")
    Set<String> inferenceTasks;

    @Option(names = "--training-tasks", split = ",", description = "PAI task names labeled training (default: distributed-training roles)")
    Set<String> trainingTasks;

    @Option(names = "--inference-max-share", description = "PAI: other single-instance tasks asking at most this GPU percent are inference (default: 50)")
    Integer inferenceMaxShare;

    @Option(names = "--inference-qos", split = ",", description = "openb QoS classes labeled inference (default: LS)")
    Set<String> inferenceQos;

    @Option(names = "--no-progress", description = "no progress bar")
    boolean noProgress;

    @Override
    public Integer call() {
        return execute(false);
    }

    int execute(boolean paper) {
        if (out == null) {
            throw new IllegalArgumentException("--out DIR is required");
        }
        TraceIssues issues = new TraceIssues(strict);
        List<String> inputs = new ArrayList<>();
        ClusterSpec c = cluster == null ? null : Inputs.cluster(cluster, issues);
        TaskTable tasks = workload(c, issues, inputs);
        LoadSeries shape = load == null ? LoadSeries.FLAT : Inputs.load(load, loadModel, issues);
        inputs.add("load: " + (load == null ? "flat (nominal rate)" : load + " (" + shape.factors().length + " windows of "
                + shape.stepSeconds() + " s, peak/mean " + String.format(Locale.ROOT, "%.2f", shape.peak()) + ")"));
        inputs.add("cluster: " + (c == null ? "none: GPUs open on demand (the paper's method)" : cluster + " " + c.gpusByType()));
        inputs.add(String.format(Locale.ROOT, "pieces: %d (%d inference, %d training); plant %s, SLO factor %.2f, seed %d",
                tasks.size(), tasks.count(TaskTable.INFERENCE), tasks.count(TaskTable.TRAINING), gpuModel, sloFactor, seed));
        inputs.addAll(issues.summaryLines());
        Summary s = Experiment.run(tasks, Experiment.policies(policies), gpuModel, sloFactor, seed, shape,
                gpuMemGb * 1024, c == null ? 0 : c.totalGpus(), !noProgress, System.err);
        HtmlReport.write(out, title, inputs, s, paper);
        print(inputs, s, paper);
        return 0;
    }

    String title = "gpucolo sim";

    void print(List<String> inputs, Summary s, boolean paper) {
        var o = spec.commandLine().getOut();
        inputs.forEach(o::println);
        o.println();
        s.table().forEach(o::println);
        o.println();
        s.decomposition().forEach(o::println);
        if (paper) {
            o.println();
            s.paperComparison().forEach(o::println);
        }
        o.println();
        o.println("wrote " + out.resolve("summary.csv") + " and " + out.resolve("report.html"));
    }

    TraceOptions options(ClusterSpec c, boolean keepNames) {
        LabelRules d = LabelRules.DEFAULT;
        LabelRules rules = new LabelRules(inferenceTasks == null ? d.inferenceTasks() : inferenceTasks,
                trainingTasks == null ? d.trainingTasks() : trainingTasks,
                inferenceMaxShare == null ? d.inferenceMaxShare() : inferenceMaxShare, d.inferenceMaxInstances(),
                inferenceQos == null ? d.inferenceQos() : inferenceQos);
        List<String> types = c != null ? Inputs.types(c) : format.equals("openb") ? OPENB_GPU_TYPES : TraceOptions.PAI_GPU_TYPES;
        if (gpuMemGb < 1 || gpuMemGb > 1024) {
            throw new IllegalArgumentException("--gpu-mem-gb must be in 1..1024, got " + gpuMemGb);
        }
        return new TraceOptions(rules, gpuMemGb * 1024L, types, keepNames);
    }

    TaskTable workload(ClusterSpec c, TraceIssues issues, List<String> inputs) {
        TaskTable t;
        if (synthetic != null) {
            if (!trace.isEmpty()) {
                throw new IllegalArgumentException("give --trace or --synthetic, not both");
            }
            t = SynthTables.inMemory(new PaiSynth(new SynthSpec(synthetic, SynthSpec.FULL_DAYS, seed, 0.75)),
                    options(c, false), issues);
            inputs.add("workload: synthetic PAI 2020, scale " + synthetic + ", seed " + seed);
        } else {
            if (trace.isEmpty()) {
                throw new IllegalArgumentException("give --trace FILE[,FILE...] or --synthetic SCALE");
            }
            TraceOptions o = options(c, true);
            t = switch (format.toLowerCase(Locale.ROOT)) {
                case "pai2020" -> new PaiTraceReader(o, issues).read(trace);
                case "openb" -> {
                    if (trace.size() != 1) {
                        throw new IllegalArgumentException("--format openb takes one pod list (give the node list as --cluster)");
                    }
                    yield new OpenbReader(o, issues).readPods(trace.get(0));
                }
                case "csv" -> {
                    if (trace.size() != 1) {
                        throw new IllegalArgumentException("--format csv takes one file");
                    }
                    yield new OwnCsvReader(o, issues).read(trace.get(0));
                }
                default -> throw new IllegalArgumentException("unknown --format '" + format + "'; use pai2020, openb or csv");
            };
            inputs.add("workload: " + trace + " (" + format + ")");
        }
        if (ratio != null) {
            int[] r = pair(ratio, "--ratio");
            t = Workloads.ratio(t, r[0], r[1], seed, issues);
            inputs.add("inference:training kept at " + ratio);
        }
        if (burst != null) {
            int[] b = pair(burst, "--burst-days");
            t = Workloads.burst(t, b[0], b[1]);
            inputs.add("burst: inference duplicated between day " + b[0] + " and day " + b[1]);
        }
        return t;
    }

    static int[] pair(String v, String option) {
        String[] p = v.split(":");
        try {
            if (p.length == 2) {
                return Arrays.stream(p).mapToInt(x -> Integer.parseInt(x.strip())).toArray();
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException(option + " expects two whole numbers A:B, got '" + v + "'");
    }

    static List<PolicyKind> all() {
        return List.of(PolicyKind.values());
    }
}
