package io.gpucolo.node.hooks;

import io.gpucolo.node.mps.CliMpsControl;
import io.gpucolo.node.mps.MpsControl;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gpucolo prolog}, {@code gpucolo epilog}, {@code gpucolo taskprolog}: Slurm's node hooks (see docs/NODE.md).
 * They read Slurm's environment; settings come from {@code --config}, else {@code GPUCOLO_NODE_CONF}, else
 * {@code /etc/gpucolo/node.conf} (defaults when that file is missing).
 */
public final class HookCommands {
    private HookCommands() {
    }

    abstract static class Base implements Callable<Integer> {
        @Option(names = "--config", description = "node settings file (default: $GPUCOLO_NODE_CONF or /etc/gpucolo/node.conf)")
        Path config;

        HookConfig config(Map<String, String> env) {
            if (config != null) {
                return HookConfig.read(config, true);
            }
            String e = env.get("GPUCOLO_NODE_CONF");
            return e != null && !e.isBlank() ? HookConfig.read(Path.of(e), true) : HookConfig.read(HookConfig.DEFAULT_FILE, false);
        }

        static MpsControl mps(HookConfig cfg, Map<String, String> env) {
            Map<String, String> pass = new HashMap<>();
            for (String name : cfg.passEnv()) {
                if (env.containsKey(name)) {
                    pass.put(name, env.get(name));
                }
            }
            return new CliMpsControl(cfg.mpsControl(), cfg.mps(), cfg.mpsTimeout(), pass);
        }

        static HookLog log(String hook, SlurmJob job, HookConfig cfg) {
            return new HookLog(hook, job.jobId(), System.err, cfg.stateDir().resolve("hooks.log"));
        }
    }

    @Command(name = "prolog", mixinStandardHelpOptions = true,
            description = "Slurm Prolog: start the GPU's MPS daemon, record the job's share, register it with noded.")
    public static final class PrologCommand extends Base {
        @Override
        public Integer call() throws Exception {
            Map<String, String> env = System.getenv();
            HookConfig cfg = config(env);
            SlurmJob job = SlurmJob.fromEnv(env);
            return new Prolog(cfg, mps(cfg, env)).run(job, log("prolog", job, cfg));
        }
    }

    @Command(name = "epilog", mixinStandardHelpOptions = true,
            description = "Slurm Epilog: resume what is stopped, deregister, quit MPS after the GPU's last MPS job.")
    public static final class EpilogCommand extends Base {
        @Override
        public Integer call() throws Exception {
            Map<String, String> env = System.getenv();
            HookConfig cfg = config(env);
            SlurmJob job = SlurmJob.fromEnv(env);
            return new Epilog(cfg, mps(cfg, env), new ProcessResumer(Path.of("/proc"), cfg.kill()))
                    .run(job, log("epilog", job, cfg));
        }
    }

    @Command(name = "taskprolog", mixinStandardHelpOptions = true,
            description = "Slurm TaskProlog: print the export lines that give a task its GPU, MPS directory and share.")
    public static final class TaskPrologCommand extends Base {
        @Override
        public Integer call() {
            Map<String, String> env = System.getenv();
            HookConfig cfg = config(env);
            SlurmJob job = SlurmJob.fromEnv(env);
            PrintStream out = System.out;
            try {
                JobFile.read(cfg.jobFile(job.jobId())).ifPresent(f -> TaskExports.lines(f, cfg).forEach(out::println));
            } catch (IllegalArgumentException e) {
                System.err.println("gpucolo taskprolog: job " + job.jobId() + ": warning: " + e.getMessage()
                        + "; the task gets Slurm's environment only");
            }
            out.flush();
            return 0;
        }
    }

    /** The hook commands, for registration in the launcher. */
    public static List<Class<?>> all() {
        return List.of(PrologCommand.class, EpilogCommand.class, TaskPrologCommand.class);
    }
}
