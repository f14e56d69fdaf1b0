package io.gpucolo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one launcher, {@code bin/gpucolo}. Each subcommand lives in the module that owns it; this class only
 * lists them. Exit codes: 0 success, 2 bad input (usage, invalid files), 3 no GPU (probe), 1 other failure.
 */
@Command(name = "gpucolo", mixinStandardHelpOptions = true, version = "gpucolo 0.1.0",
        description = "Latency-guaranteed co-location of inference and training on Slurm GPU clusters.",
        subcommands = {
                CommandLine.HelpCommand.class,
                io.gpucolo.node.emu.EmuGpuCommand.class,
                io.gpucolo.node.emu.EmuInferCommand.class,
                io.gpucolo.node.emu.EmuTrainCommand.class,
                io.gpucolo.node.emu.EmuMpsControlCommand.class,
                io.gpucolo.node.hooks.HookCommands.PrologCommand.class,
                io.gpucolo.node.hooks.HookCommands.EpilogCommand.class,
                io.gpucolo.node.hooks.HookCommands.TaskPrologCommand.class,
                io.gpucolo.node.launcher.RunCommand.class,
                io.gpucolo.node.probe.ProbeCommand.class,
                io.gpucolo.node.noded.NodedCommand.class,
                io.gpucolo.admission.cli.PolicyCommand.class,
                io.gpucolo.admission.cli.ModelCommand.class,
                io.gpucolo.cli.demo.DemoCommand.class,
                io.gpucolo.admitd.cli.ExplainCommand.class,
                io.gpucolo.admitd.cli.AdmitdCommand.class,
                io.gpucolo.admitd.cli.StatusCommand.class,
                BenchCommand.class,
                io.gpucolo.sim.cli.SimCommand.class,
                io.gpucolo.sim.cli.SimGenCommand.class,
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code; usage errors map to 2. */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("gpucolo: " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            c.getErr().println("gpucolo " + c.getCommandName() + ": " + ex.getMessage());
            return ex instanceof IllegalArgumentException ? 2 : 1;
        });
        return cl.execute(args);
    }
}
