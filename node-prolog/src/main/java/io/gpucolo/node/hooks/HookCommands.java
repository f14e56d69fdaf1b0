package io.gpucolo.node.hooks;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gpucolo prolog}, {@code gpucolo epilog}, {@code gpucolo taskprolog}: Slurm's node hooks (see docs/NODE.md).
 * They read Slurm's environment; settings come from {@code --config}, else {@code GPUCOLO_NODE_CONF}, else
 * {@code /etc/gpucolo/node.conf} (defaults when that file is missing). {@code bin/gpucolo} starts them through
 * {@link HooksMain}, which skips picocli for speed; these classes give them their place in {@code gpucolo --help}.
 */
public final class HookCommands {
    private HookCommands() {
    }

    abstract static class Base implements Callable<Integer> {
        @Option(names = "--config", description = "node settings file (default: $GPUCOLO_NODE_CONF or /etc/gpucolo/node.conf)")
        Path config;
    }

    @Command(name = "prolog", mixinStandardHelpOptions = true,
            description = "Slurm Prolog: start the GPU's MPS daemon, record the job's share, register it with noded.")
    public static final class PrologCommand extends Base {
        @Override
        public Integer call() throws Exception {
            return Hooks.prolog(config, System.getenv());
        }
    }

    @Command(name = "epilog", mixinStandardHelpOptions = true,
            description = "Slurm Epilog: resume what is stopped, deregister, quit MPS after the GPU's last MPS job.")
    public static final class EpilogCommand extends Base {
        @Override
        public Integer call() throws Exception {
            return Hooks.epilog(config, System.getenv());
        }
    }

    @Command(name = "taskprolog", mixinStandardHelpOptions = true,
            description = "Slurm TaskProlog: print the export lines that give a task its GPU, MPS directory and share.")
    public static final class TaskPrologCommand extends Base {
        @Override
        public Integer call() {
            return Hooks.taskProlog(config, System.getenv(), System.out);
        }
    }

    /** The hook commands, for registration in the launcher. */
    public static List<Class<?>> all() {
        return List.of(PrologCommand.class, EpilogCommand.class, TaskPrologCommand.class);
    }
}
