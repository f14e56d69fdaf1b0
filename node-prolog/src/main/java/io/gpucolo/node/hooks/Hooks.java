package io.gpucolo.node.hooks;

import io.gpucolo.node.mps.CliMpsControl;
import io.gpucolo.node.mps.MpsControl;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The three hooks as plain functions of (settings file, environment), shared by the picocli commands
 * ({@link HookCommands}) and the lean fast-start entry point ({@link HooksMain}) that Slurm runs.
 */
final class Hooks {
    private Hooks() {
    }

    static HookConfig config(Path config, Map<String, String> env) {
        if (config != null) {
            return HookConfig.read(config, true);
        }
        String e = env.get("GPUCOLO_NODE_CONF");
        return e != null && !e.isBlank() ? HookConfig.read(Path.of(e), true) : HookConfig.read(HookConfig.DEFAULT_FILE, false);
    }

    private static MpsControl mps(HookConfig cfg, Map<String, String> env) {
        Map<String, String> pass = new HashMap<>();
        for (String name : cfg.passEnv()) {
            if (env.containsKey(name)) {
                pass.put(name, env.get(name));
            }
        }
        return new CliMpsControl(cfg.mpsControl(), cfg.mps(), cfg.mpsTimeout(), pass);
    }

    private static HookLog log(String hook, SlurmJob job, HookConfig cfg) {
        return new HookLog(hook, job.jobId(), System.err, cfg.stateDir().resolve("hooks.log"));
    }

    static int prolog(Path config, Map<String, String> env) throws IOException {
        HookConfig cfg = config(config, env);
        Noded.prewarm(cfg);
        SlurmJob job = SlurmJob.fromEnv(env);
        return new Prolog(cfg, mps(cfg, env)).run(job, log("prolog", job, cfg));
    }

    static int epilog(Path config, Map<String, String> env) throws IOException {
        HookConfig cfg = config(config, env);
        Noded.prewarm(cfg);
        SlurmJob job = SlurmJob.fromEnv(env);
        return new Epilog(cfg, mps(cfg, env), new ProcessResumer(Path.of("/proc"), cfg.kill()))
                .run(job, log("epilog", job, cfg));
    }

    static int taskProlog(Path config, Map<String, String> env, PrintStream out) {
        HookConfig cfg = config(config, env);
        SlurmJob job = SlurmJob.fromEnv(env);
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
