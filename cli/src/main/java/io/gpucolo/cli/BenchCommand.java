package io.gpucolo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code gpucolo bench NAME}: the benchmarks. Each prints its figures and ends with one clear last line.
 * This class only lists them; each benchmark lives in the module it measures.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a benchmark.",
        subcommands = {
                io.gpucolo.admitd.bench.AdmissionBenchCommand.class,
                io.gpucolo.admitd.bench.HookBenchCommand.class,
                io.gpucolo.admitd.bench.BurstBenchCommand.class,
                io.gpucolo.admission.cli.HeadroomBenchCommand.class,
                io.gpucolo.sim.cli.BenchSimCommand.class,
                io.gpucolo.node.bench.BurstControlCommand.class,
                io.gpucolo.node.bench.OverheadCommand.class,
                io.gpucolo.node.hooks.HooksBenchCommand.class,
        })
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }
}
