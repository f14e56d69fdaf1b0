package io.gpucolo.admitd.cli;

import io.gpucolo.admission.latency.CalibratedLatencyModel;
import io.gpucolo.admission.latency.LatencyModel;
import io.gpucolo.admission.policy.LatencyFloor;
import io.gpucolo.admission.policy.LoadResult;
import io.gpucolo.admission.policy.PolicyHolder;
import io.gpucolo.admission.policy.PolicyLoader;
import io.gpucolo.admission.yaml.Problem;
import io.gpucolo.admitd.Admitd;
import io.gpucolo.store.Store;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gpucolo admitd}: the admission daemon the submit hook asks (runs until SIGTERM). */
@Command(name = "admitd", mixinStandardHelpOptions = true,
        description = "Run the admission daemon that answers the Slurm job_submit hook (see docs/SLURM-INTEGRATION.md).")
public final class AdmitdCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "the policy file (gpucolo.yaml)")
    Path policy;

    @Option(names = "--journal", paramLabel = "FILE", defaultValue = "/var/lib/gpucolo/admitd.journal",
            description = "the fsync'd decision journal (default: ${DEFAULT-VALUE})")
    Path journal;

    @Option(names = "--secret-file", paramLabel = "FILE", defaultValue = "/etc/slurm/gpucolo.secret",
            description = "shared secret of hook and admitd, mode 0600, created when missing (default: ${DEFAULT-VALUE})")
    Path secretFile;

    @Option(names = "--slurm-conf", paramLabel = "FILE", defaultValue = "/etc/slurm/slurm.conf",
            description = "slurm.conf (SLURM_CONF of the Slurm commands; the hook settings go next to it)")
    Path slurmConf;

    @Option(names = "--hook-conf", paramLabel = "FILE",
            description = "where to write the hook's settings (default: gpucolo-hook.conf next to slurm.conf)")
    Path hookConf;

    @Option(names = "--gpu-model", paramLabel = "MODEL", defaultValue = "A100",
            description = "GPU model of the typed GPUs (latency profiles; default: ${DEFAULT-VALUE})")
    String gpuModel;

    @Option(names = "--gpu-memory-mib", paramLabel = "MIB", defaultValue = "81920",
            description = "GPU memory per GPU, MiB (default: ${DEFAULT-VALUE})")
    long gpuMemoryMiB;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
            description = "listen port, overriding admitd.port of the policy")
    int port;

    @Option(names = "--reconcile-ms", paramLabel = "MS", defaultValue = "0",
            description = "reconcile period, overriding admitd.reconcile_period_s of the policy")
    long reconcileMs;

    @Option(names = "--journal-sync", paramLabel = "MODE", defaultValue = "ALWAYS",
            description = "ALWAYS: fdatasync every decision before the hook hears it; BATCHED: write before the reply, "
                    + "flush every 50 ms (survives admitd crashes, not machine crashes) (default: ${DEFAULT-VALUE})")
    io.gpucolo.admitd.journal.DecisionJournal.Sync journalSync;

    @Option(names = "--socket", paramLabel = "PATH",
            description = "Unix socket the hook uses first (peer checked by SO_PEERCRED); 'none' for loopback TCP only "
                    + "(default: admitd.sock next to the journal)")
    String socket;

    @Option(names = "--realtime", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "run the threads that answer the hook on the Unix socket in SCHED_FIFO (priority 1), so "
                    + "that slurmctld, waiting under its locks, never waits for them to get a CPU; needs root or "
                    + "RLIMIT_RTPRIO, else they run at normal priority (default: on; --no-realtime to turn off)")
    boolean realtime;

    @Option(names = "--journal-compact-bytes", paramLabel = "BYTES", defaultValue = "8388608",
            description = "compact the journal (drop events already in the store that no followed decision needs) "
                    + "once it holds this many bytes, at least 1024 (default: ${DEFAULT-VALUE})")
    long journalCompactBytes;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        io.gpucolo.admitd.DaemonLog.install();          // log lines written off the request path
        if (journalCompactBytes < 1024) {
            err.println("--journal-compact-bytes: must be at least 1024, got " + journalCompactBytes);
            err.flush();
            return 2;
        }
        LatencyModel model = CalibratedLatencyModel.builtIn();
        PolicyLoader loader = new PolicyLoader(LatencyFloor.of(model, List.of(gpuModel)));
        LoadResult first = loader.load(policy);
        if (first instanceof LoadResult.Invalid bad) {
            for (Problem p : bad.problems()) {
                err.println(p);
            }
            err.println(policy + ": policy refused; admitd not started");
            err.flush();
            return 2;
        }
        PolicyHolder holder = new PolicyHolder(policy, loader, ((LoadResult.Valid) first).loaded());
        String secret = Secrets.readOrCreate(secretFile);
        Path hook = hookConf != null ? hookConf : slurmConf.toAbsolutePath().resolveSibling("gpucolo-hook.conf");
        var options = new Admitd.Options(policy, journal, secretFile, hook, slurmConf.toString(), gpuModel,
                gpuMemoryMiB, port, reconcileMs > 0 ? Duration.ofMillis(reconcileMs) : null, journalSync, journalCompactBytes,
                "none".equals(socket) ? null : socket != null ? Path.of(socket)
                        : journal.toAbsolutePath().resolveSibling("admitd.sock"), realtime);
        Admitd daemon = Admitd.start(options, holder, model, Stores.open(holder.current().policy()), secret);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                daemon.close();
            } catch (Exception e) {
                System.err.println("admitd: shutdown: " + e.getMessage());
            }
            stop.countDown();
        }));
        PrintWriter out = spec.commandLine().getOut();
        out.println("admitd: listening on 127.0.0.1:" + daemon.port() + ", hook settings in " + hook);
        out.flush();
        stop.await();
        return 0;
    }
}
