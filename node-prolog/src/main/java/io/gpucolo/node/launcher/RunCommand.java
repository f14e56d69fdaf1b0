package io.gpucolo.node.launcher;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gpucolo run [options] -- CMD [ARGS]}: the training launcher (docs/NODE.md, "The launcher"). Starts CMD with
 * {@code CUDA_MPS_ACTIVE_THREAD_PERCENTAGE} and {@code GPUCOLO_SLEEP_FILE}; serves {@link LauncherServer} requests;
 * forwards TERM, INT, HUP, USR1 and USR2 to CMD (TERM/INT/HUP end it, escalating to KILL after
 * {@code --kill-after-s}); exits with CMD's exit code.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a training command with a restartable MPS share and cooperative sleep (noded drives it).")
public final class RunCommand implements Callable<Integer> {
    @Option(names = "--socket", description = "control socket (default: $GPUCOLO_LAUNCHER_SOCKET, else /run/gpucolo/launcher/JOBID/launcher.sock)")
    Path socket;

    @Option(names = "--share", description = "initial MPS share 1..100 (default: $CUDA_MPS_ACTIVE_THREAD_PERCENTAGE, else 100)")
    Integer share;

    @Option(names = "--checkpoint-signal", description = "signal asking CMD to checkpoint and exit before a restart (default: ${DEFAULT-VALUE})")
    String checkpointSignal = "USR1";

    @Option(names = "--grace-s", description = "how long CMD may take to checkpoint and exit (default: ${DEFAULT-VALUE})")
    double graceS = 30;

    @Option(names = "--kill-after-s", description = "how long CMD may ignore SIGTERM before SIGKILL (default: ${DEFAULT-VALUE})")
    double killAfterS = 10;

    @Option(names = "--kill", description = "absolute path of kill (default: ${DEFAULT-VALUE})")
    Path kill = Path.of(new File("/bin/kill").canExecute() ? "/bin/kill" : "/usr/bin/kill");

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "the training command and its arguments (after --)")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = System.getenv();
        int initial = share != null ? share : envShare(env.get("CUDA_MPS_ACTIVE_THREAD_PERCENTAGE"));
        if (initial < 1 || initial > 100) {
            throw new IllegalArgumentException("--share must be 1..100, got " + initial);
        }
        if (!(graceS >= 0) || !(killAfterS >= 0) || !kill.isAbsolute()) {
            throw new IllegalArgumentException("--grace-s and --kill-after-s must be >= 0 and --kill an absolute path");
        }
        Path sock = socket != null ? socket : defaultSocket(env);
        Launcher launcher = new Launcher(command, new Launcher.Settings(checkpointSignal.replaceFirst("^SIG", ""),
                (long) (graceS * 1000), (long) (killAfterS * 1000), kill), sock.resolveSibling(sock.getFileName() + ".sleep"), initial);
        java.nio.file.Files.createDirectories(sock.toAbsolutePath().getParent());
        launcher.sleep(0);
        try (LauncherServer server = new LauncherServer(sock, launcher)) {
            for (String sig : List.of("TERM", "INT", "HUP", "USR1", "USR2")) {
                RunSignals.on(sig, () -> launcher.forward(sig));
            }
            launcher.start();
            return launcher.awaitExit();
        }
    }

    static int envShare(String v) {
        if (v == null || v.isBlank()) {
            return 100;
        }
        try {
            return (int) Math.ceil(Double.parseDouble(v.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("CUDA_MPS_ACTIVE_THREAD_PERCENTAGE='" + v + "' is not a number");
        }
    }

    static Path defaultSocket(Map<String, String> env) {
        String s = env.get("GPUCOLO_LAUNCHER_SOCKET");
        if (s != null && !s.isBlank()) {
            return Path.of(s);
        }
        String job = env.getOrDefault("SLURM_JOB_ID", Long.toString(ProcessHandle.current().pid()));
        return Path.of("/run/gpucolo/launcher", job, "launcher.sock");
    }
}
