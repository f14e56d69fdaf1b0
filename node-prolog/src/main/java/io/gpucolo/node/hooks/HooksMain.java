package io.gpucolo.node.hooks;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point for the hooks without the {@code gpucolo} launcher (tests: {@code java -cp ... HooksMain prolog}). */
@Command(name = "gpucolo", subcommands = {HookCommands.PrologCommand.class, HookCommands.EpilogCommand.class,
        HookCommands.TaskPrologCommand.class})
public final class HooksMain {
    private HooksMain() {
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new HooksMain());
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            c.getErr().println("gpucolo " + c.getCommandName() + ": " + ex.getMessage());
            return ex instanceof IllegalArgumentException ? 2 : 1;
        });
        System.exit(cl.execute(args));
    }
}
