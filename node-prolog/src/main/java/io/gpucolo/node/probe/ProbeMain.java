package io.gpucolo.node.probe;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point for {@code probe} without the {@code gpucolo} launcher (its profile workers and the tests use it). */
@Command(name = "gpucolo", subcommands = ProbeCommand.class)
public final class ProbeMain {
    private ProbeMain() {
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new ProbeMain());
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            c.getErr().println("gpucolo " + c.getCommandName() + ": " + ex.getMessage());
            return ex instanceof IllegalArgumentException ? 2 : 1;
        });
        System.exit(cl.execute(args));
    }
}
