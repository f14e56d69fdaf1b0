package io.gpucolo.node.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point for {@code run} without the {@code gpucolo} launcher (tests: {@code java -cp ... RunMain run -- CMD}). */
@Command(name = "gpucolo", subcommands = RunCommand.class)
public final class RunMain {
    private RunMain() {
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new RunMain());
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            c.getErr().println("gpucolo " + c.getCommandName() + ": " + ex.getMessage());
            return ex instanceof IllegalArgumentException ? 2 : 1;
        });
        System.exit(cl.execute(args));
    }
}
