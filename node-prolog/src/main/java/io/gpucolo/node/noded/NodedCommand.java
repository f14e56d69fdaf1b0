package io.gpucolo.node.noded;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gpucolo noded}: runs the node daemon until SIGTERM (then resumes everything and exits 0);
 * {@code gpucolo noded status}: prints its status, or, when it does not answer, the heartbeat verdict (exit 1).
 */
@Command(name = "noded", mixinStandardHelpOptions = true, subcommands = NodedCommand.Status.class,
        description = "Per-node daemon: the two-tier SLO controller of every co-located GPU.")
public final class NodedCommand implements Callable<Integer> {
    @Option(names = "--socket", description = "control socket (default: ${DEFAULT-VALUE})")
    Path socket = NodedClient.DEFAULT_SOCKET;

    @Option(names = "--state-dir", description = "lease state file and heartbeat (default: ${DEFAULT-VALUE})")
    Path stateDir = Path.of("/run/gpucolo");

    @Option(names = "--period-ms", description = "inner control period, ms (default: ${DEFAULT-VALUE})")
    long periodMs = 1000;

    @Option(names = "--max-lease-ms", description = "longest any stop may last, ms (default: ${DEFAULT-VALUE})")
    long maxLeaseMs = 2000;

    @Option(names = "--metrics-port", description = "Prometheus port; -1 disables (default: ${DEFAULT-VALUE})")
    int metricsPort = 9817;

    @Option(names = "--push-port", description = "UDP push endpoint on 127.0.0.1; -1 disables (default: ${DEFAULT-VALUE})")
    int pushPort = 9818;

    @Option(names = "--slurm-user", description = "the Slurm user allowed on the socket besides root (default: ${DEFAULT-VALUE})")
    String slurmUser = "slurm";

    @Option(names = "--laws", description = "control laws: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Laws laws = Laws.OURS;

    @Option(names = "--restart-timeout-s", description = "longest a share change (checkpoint + restart) may take (default: ${DEFAULT-VALUE})")
    long restartTimeoutS = 60;

    @Override
    public Integer call() throws Exception {
        Set<String> users = new LinkedHashSet<>(List.of("root", slurmUser));
        Noded.Config config = new Noded.Config(socket, stateDir, Duration.ofMillis(periodMs), Duration.ofMillis(maxLeaseMs),
                metricsPort, pushPort, users, laws);
        Noded noded = new Noded(config, Clock.systemUTC(), new LauncherShareChanger(Duration.ofSeconds(restartTimeoutS)));
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            noded.close();
            done.countDown();
        }, "gpucolo-noded-shutdown"));
        done.await();
        return 0;
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Print noded's status (JSON), or why it is down.")
    static final class Status implements Callable<Integer> {
        @CommandLine.ParentCommand
        NodedCommand parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try {
                spec.commandLine().getOut().println(new NodedClient(parent.socket, Duration.ofSeconds(3)).status());
                return 0;
            } catch (NodedException e) {
                spec.commandLine().getErr().println("gpucolo noded status: " + e.getMessage());
                spec.commandLine().getErr().println(Heartbeat.check(parent.stateDir.resolve("heartbeat"),
                        Clock.systemUTC().instant(), Duration.ofMillis(parent.periodMs)));
                return 1;
            }
        }
    }
}
