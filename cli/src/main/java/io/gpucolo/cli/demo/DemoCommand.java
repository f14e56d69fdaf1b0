package io.gpucolo.cli.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gpucolo demo}: the whole system on one machine in a few minutes (the README's first command).
 * As root it installs Slurm and munge if missing, brings up a one-node Slurm with 4 emulated GPUs and the
 * gpucolo hooks, starts admitd, noded and the emulated GPU, submits two inference services and a stream of
 * training jobs as an ordinary user, drives a 2x burst, reports, and stops everything it started. Where it
 * cannot (not root, no packages), it says why and runs the offline evaluation instead.
 *
 * <p>One run at a time (a lock file); a lab left behind by a killed run is torn down first; a Slurm that
 * this demo did not start makes it refuse. Ctrl-C stops what it started and says so.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole system on 4 emulated GPUs under a local Slurm, then stop it (root); "
                + "else run the offline evaluation.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "Short load schedule (about 25 s of load), as the end-to-end test uses.")
    boolean quick;

    @Option(names = "--offline", description = "Skip the live lab and run the offline evaluation only.")
    boolean offline;

    @Option(names = "--lab", paramLabel = "DIR", description = "Lab state folder (default: ${DEFAULT-VALUE}).")
    Path lab = Path.of("/tmp/gpucolo-demo");

    @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("gpucolo-demo-report");

    @Option(names = "--user", paramLabel = "NAME", description = "Unprivileged user that submits the jobs; "
            + "created if missing (default: ${DEFAULT-VALUE}).")
    String user = "gpucolo-demo";

    @Option(names = "--slurm-ports", paramLabel = "CTLD,SLURMD", split = ",",
            description = "Ports of the lab's slurmctld and slurmd (default: ${DEFAULT-VALUE}).")
    int[] slurmPorts = {6817, 6818};

    @Option(names = "--root", paramLabel = "DIR", description = "The gpucolo checkout (default: found from this build).")
    Path root;

    @Option(names = "--lock-file", paramLabel = "FILE", hidden = true)
    Path lockFile = Path.of(System.getProperty("java.io.tmpdir"), "gpucolo-demo.lock");

    @Override
    public Integer call() throws IOException {
        PrintStream con = System.out;
        if (slurmPorts.length != 2 || slurmPorts[0] == slurmPorts[1]
                || java.util.Arrays.stream(slurmPorts).anyMatch(p -> p < 1024 || p > 65535)) {
            System.err.println("gpucolo demo: --slurm-ports needs two different ports within 1024..65535, e.g. 6817,6818");
            return 2;
        }
        if (!user.matches("[a-z_][a-z0-9_-]{0,31}")) {
            System.err.println("gpucolo demo: --user '" + user + "' is not a valid user name (lower case letters, digits, '_', '-')");
            return 2;
        }
        Optional<RunLock> lock = RunLock.tryAcquire(lockFile);
        if (lock.isEmpty()) {
            System.err.println("gpucolo demo: another demo is already running (pid " + RunLock.holder(lockFile)
                    + ", lock " + lockFile + "); wait for it to finish, or stop it with Ctrl-C");
            return 1;
        }
        RunLock held = lock.get();
        try {
            long t0 = System.nanoTime();
            DemoSchedule schedule = quick ? DemoSchedule.QUICK : DemoSchedule.STANDARD;
            String why = offline ? "--offline given" : liveUnavailable();
            int rc = LiveDemo.UNAVAILABLE;
            if (why == null) {
                Path checkout = root != null ? root : RepoRoot.find();
                LiveDemo live = new LiveDemo(checkout, lab.toAbsolutePath().normalize(), out.toAbsolutePath().normalize(),
                        user, schedule, slurmPorts, con);
                rc = live.runGuarded(t0);
            } else {
                con.println("gpucolo demo: not running the live lab: " + why);
            }
            if (rc == LiveDemo.UNAVAILABLE) {
                con.println("gpucolo demo: running the offline evaluation (gpucolo sim on a small synthetic trace) instead");
                rc = OfflineDemo.run(out.toAbsolutePath().normalize(), con);
                con.printf(java.util.Locale.ROOT, "demo wall s: %.1f%n", (System.nanoTime() - t0) / 1e9);
            }
            return rc;
        } finally {
            held.close();
        }
    }

    /** Why the live lab cannot run here, or null when it can be tried. */
    private static String liveUnavailable() {
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            return "this is not Linux (no /proc)";
        }
        long uid = uid();
        if (uid != 0) {
            return "not running as root (uid " + uid + "): installing and starting Slurm and munge needs root";
        }
        return null;
    }

    private static long uid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }
}
