package io.gpucolo.sim.cli;

import io.gpucolo.sim.synth.PaiSynth;
import io.gpucolo.sim.synth.PaiTableWriter;
import io.gpucolo.sim.synth.SynthSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gpucolo sim-gen}: write a synthetic PAI 2020 trace (headerless tables) into a directory. */
@Command(name = "sim-gen", mixinStandardHelpOptions = true,
        description = {"Write a seeded synthetic trace in the PAI 2020 table format, matching its published statistics.",
                "Files: pai_job_table.csv, pai_task_table.csv, pai_sensor_table.csv, pai_machine_spec.csv."})
public final class SimGenCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--scale", defaultValue = "1.0", description = "fraction of the full trace (1 = 1.26 M task rows, 6,742 GPUs)")
    double scale;

    @Option(names = "--days", defaultValue = "57")
    int days;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--inference-fraction", defaultValue = "0.75", description = "fraction of GPU tasks named inference (default: ${DEFAULT-VALUE}, the paper's 3:1)")
    double inferenceFraction;

    @Option(names = "--out", required = true, paramLabel = "DIR")
    Path out;

    @Override
    public Integer call() {
        PaiSynth synth = new PaiSynth(new SynthSpec(scale, days, seed, inferenceFraction));
        long rows = PaiTableWriter.write(synth, out);
        spec.commandLine().getOut().printf("wrote %d task rows over %d days, %d GPUs in the machine spec, into %s%n",
                rows, days, synth.gpus(), out);
        return 0;
    }
}
