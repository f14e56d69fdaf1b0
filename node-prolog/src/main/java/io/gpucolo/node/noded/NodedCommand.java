package io.gpucolo.node.noded;

import io.gpucolo.admission.policy.LatencyFloor;
import io.gpucolo.admission.policy.LoadResult;
import io.gpucolo.admission.policy.Policy;
import io.gpucolo.admission.policy.PolicyLoader;
import io.gpucolo.admission.yaml.Problem;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
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
    @Option(names = "--policy", paramLabel = "FILE", description = "the policy file: its controller, limits and noded "
            + "sections tune the laws and set the period, stop lease, socket and metrics port (the options below override "
            + "them); without it, the laws' defaults")
    Path policy;

    @Option(names = "--socket", description = "control socket (default: policy noded.control_socket, else "
            + "/run/gpucolo/noded.sock)")
    Path socket;

    @Option(names = "--state-dir", description = "lease state file and heartbeat (default: ${DEFAULT-VALUE})")
    Path stateDir = Path.of("/run/gpucolo");

    @Option(names = "--period-ms", description = "inner control period, ms (default: policy controller.inner_period_ms, "
            + "else 500; without a policy the laws keep their times at any period)")
    Long periodMs;

    @Option(names = "--max-lease-ms", description = "longest any stop may last, ms (default: policy "
            + "controller.stop_lease_ms, else 2000)")
    Long maxLeaseMs;

    @Option(names = "--metrics-port", description = "Prometheus port; -1 disables (default: policy noded.metrics_port, "
            + "0 there disabling, else 9817)")
    Integer metricsPort;

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
        Noded.Config config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            System.err.println("gpucolo noded: " + e.getMessage());
            return 2;
        }
        Noded noded = new Noded(config, Clock.systemUTC(), new LauncherShareChanger(Duration.ofSeconds(restartTimeoutS)));
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            noded.close();
            done.countDown();
        }, "gpucolo-noded-shutdown"));
        done.await();
        return 0;
    }

    /**
     * The daemon's settings: each from its option when given, else from the policy file when given, else the default.
     *
     * @throws IllegalArgumentException naming every problem of the policy file, or a bad combination of options
     */
    Noded.Config config() {
        Policy p = null;
        if (policy != null) {
            LoadResult r = new PolicyLoader(LatencyFloor.NONE).load(policy);
            if (r instanceof LoadResult.Invalid bad) {
                throw new IllegalArgumentException("policy " + policy + " is not valid:\n" + String.join("\n",
                        bad.problems().stream().map(Problem::toString).toList()));
            }
            p = ((LoadResult.Valid) r).loaded().policy();
        }
        Path sock = socket != null ? socket : p != null ? Path.of(p.noded().controlSocket()) : NodedClient.DEFAULT_SOCKET;
        Duration period = periodMs != null ? Duration.ofMillis(periodMs) : p != null ? p.controller().innerPeriod()
                : LawTuning.PERIOD;
        Duration lease = maxLeaseMs != null ? Duration.ofMillis(maxLeaseMs) : p != null ? p.controller().stopLease()
                : Duration.ofSeconds(2);
        int metrics = metricsPort != null ? metricsPort : p == null ? 9817
                : p.noded().metricsPort() == 0 ? -1 : p.noded().metricsPort();
        LawTuning tuning = p != null ? LawTuning.from(p.controller(), p.limits()) : LawTuning.defaultsFor(period);
        return new Noded.Config(sock, stateDir, period, lease, metrics, pushPort,
                new LinkedHashSet<>(List.of("root", slurmUser)), laws, tuning);
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Print noded's status (JSON), or why it is down.")
    static final class Status implements Callable<Integer> {
        @CommandLine.ParentCommand
        NodedCommand parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Noded.Config c;
            try {
                c = parent.config();
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("gpucolo noded status: " + e.getMessage());
                return 2;
            }
            try {
                spec.commandLine().getOut().println(new NodedClient(c.socket(), Duration.ofSeconds(3)).status());
                return 0;
            } catch (NodedException e) {
                spec.commandLine().getErr().println("gpucolo noded status: " + e.getMessage());
                spec.commandLine().getErr().println(Heartbeat.check(parent.stateDir.resolve("heartbeat"),
                        Clock.systemUTC().instant(), c.period()));
                return 1;
            }
        }
    }
}
