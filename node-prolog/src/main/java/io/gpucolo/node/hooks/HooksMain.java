package io.gpucolo.node.hooks;

import java.nio.file.Path;
import java.util.Map;

/**
 * The hooks' fast-start entry point: {@code java -cp gpucolo.jar io.gpucolo.node.hooks.HooksMain prolog|epilog|taskprolog
 * [--config FILE]}. It parses its two arguments by hand instead of through picocli, whose start-up (annotation
 * scanning of every subcommand) costs more than the hook itself; anything else (e.g. {@code --help}) goes to the
 * picocli commands. Exit codes: 0, 1 (prolog drained the node), 2 (bad input: one line, no stack trace).
 */
public final class HooksMain {
    private HooksMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv()));
    }

    static int run(String[] args, Map<String, String> env) {
        Path config = null;
        if (args.length == 3 && args[1].equals("--config")) {
            config = Path.of(args[2]);
        } else if (args.length != 1) {
            return picocli(args);
        }
        String hook = args[0];
        try {
            return switch (hook) {
                case "prolog" -> Hooks.prolog(config, env);
                case "epilog" -> Hooks.epilog(config, env);
                case "taskprolog" -> Hooks.taskProlog(config, env, System.out);
                default -> picocli(args);
            };
        } catch (IllegalArgumentException e) {
            System.err.println("gpucolo " + hook + ": " + e.getMessage());
            return 2;
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("gpucolo " + hook + ": " + e);
            return 1;
        }
    }

    private static int picocli(String[] args) {
        picocli.CommandLine cl = new picocli.CommandLine(new Root());
        return cl.execute(args);
    }

    @picocli.CommandLine.Command(name = "gpucolo", subcommands = {HookCommands.PrologCommand.class,
            HookCommands.EpilogCommand.class, HookCommands.TaskPrologCommand.class})
    static final class Root {
    }
}
