package io.gpucolo.sim.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gpucolo sim paper}: the paper's experiment as one command. Inference:training 3:1, inference duplicated
 * between day 20 and day 40, SLO factor 0.96, all six policies, on the PAI 2020 trace given with {@code --trace}
 * or else the full-scale synthetic one; prints our numbers beside the paper's.
 */
@Command(name = "paper", mixinStandardHelpOptions = true,
        description = {"The GPUColo paper's simulation (ICDCS 2024): 3:1, burst days 20-40, SLO 0.96; ours beside theirs."})
public final class SimPaperCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    SimCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--trace", split = ",", paramLabel = "FILE", description = "the real PAI 2020 tables (default: the synthetic trace)")
    List<Path> trace = new ArrayList<>();

    @Option(names = "--scale", defaultValue = "1.0", description = "synthetic trace scale when no --trace (default: ${DEFAULT-VALUE})")
    double scale;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
    Path out;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--policies", defaultValue = "dedicated,separate-5to1,gslice,first-fit,gpucolo-paper,headroom")
    String policies;

    @Option(names = "--strict", description = "the first bad trace row is fatal")
    boolean strict;

    @Option(names = "--no-progress")
    boolean noProgress;

    @Override
    public Integer call() {
        parent.out = out;
        parent.seed = seed;
        parent.strict = strict;
        parent.noProgress = noProgress;
        parent.policies = policies;
        parent.ratio = "3:1";
        parent.burst = "20:40";
        parent.sloFactor = 0.96;
        parent.format = "pai2020";
        if (trace.isEmpty()) {
            parent.synthetic = scale;
            parent.trace = new ArrayList<>();
        } else {
            parent.synthetic = null;
            parent.trace = trace;
        }
        parent.title = "gpucolo sim paper " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        return parent.execute(true);
    }
}
