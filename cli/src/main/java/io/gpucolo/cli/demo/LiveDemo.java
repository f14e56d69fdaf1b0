package io.gpucolo.cli.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The live demo, top-down: install, clear a stale lab, bring up Slurm, start the daemons, submit, drive the
 * burst while sampling, then tear down and report. Every failure path and Ctrl-C (a shutdown hook) go
 * through the one {@link #teardown} that stops exactly what this run started.
 */
final class LiveDemo {
    /** The live lab cannot run here; the caller may fall back to the offline evaluation. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** Slurm cannot be installed or started here: the caller runs the offline evaluation instead. */
    static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    /** {@link #runGuarded}'s answer when the live lab is unavailable (see {@link Unavailable}). */
    static final int UNAVAILABLE = -1;

    private final Path root;
    private final Path lab;
    private final Path out;
    private final String user;
    private final DemoSchedule schedule;
    private final PrintStream con;
    private final ProcessTracker tracker;
    private final int[] slurmPorts;
    private final Map<String, String> env = new HashMap<>(System.getenv());
    private final Timeline timeline = new Timeline();
    private final Object stopLock = new Object();
    private boolean tornDown;
    private volatile boolean finished;

    LiveDemo(Path root, Path lab, Path out, String user, DemoSchedule schedule, int[] slurmPorts, PrintStream con) {
        this.root = root;
        this.lab = lab;
        this.out = out;
        this.user = user;
        this.schedule = schedule;
        this.con = con;
        this.tracker = new ProcessTracker(lab.resolve("demo.pids"));
        this.slurmPorts = slurmPorts.clone();
        env.put(LabProcesses.MARKER, lab.toString());
        env.put("LAB", lab.toString());
        env.put("SLURM_CONF", lab.resolve("etc/slurm.conf").toString());
        env.put("PATH", lab.resolve("bin") + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    }

    /** Runs the demo with Ctrl-C handling; returns the exit code (130 never returns: the JVM exits). */
    int runGuarded(long t0) {
        Thread hook = new Thread(this::onSignal, "gpucolo-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run(t0);
        } catch (Unavailable e) {
            con.println();
            con.println("gpucolo demo: cannot run the live lab: " + e.getMessage());
            return UNAVAILABLE;
        } catch (Refused e) {
            con.println();
            con.println("gpucolo demo: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            con.println("gpucolo demo: failed: " + e.getMessage());
            con.println("gpucolo demo: logs are under " + lab.resolve("log"));
            return 1;
        } finally {
            teardown(false);
            finished = true;
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        }
    }

    private void onSignal() {
        if (!finished) {
            con.println();
            con.println("gpucolo demo: interrupted; stopping what it started");
            teardown(true);
        }
    }

    private int run(long t0) {
        mkdirs(lab);
        step("install Slurm and munge if missing", this::install);
        step("check for a lab left by an earlier run", this::clearStale);
        checkLabReachable();
        step("prepare this build's launcher under " + lab, () -> LabLauncher.install(lab,
                System.getProperty("java.class.path")));
        step("create the unprivileged user " + user, this::ensureUser);
        DemoWiring wiring = new DemoWiring(lab, user, schedule);
        step("start a one-node Slurm with 4 emulated GPUs", () -> bringup(wiring));
        step("start the emulated GPU, admitd and noded", () -> wiring.startDaemons(tracker, env));
        SlurmJobs jobs = new SlurmJobs(tracker, env, user, lab);
        Sampler sampler = new Sampler(wiring, jobs, timeline, schedule, con);
        step("submit two inference services", () -> wiring.submitServices(jobs, timeline));
        con.println("gpucolo demo: serving, training stream and a " + schedule.burstFactor() + "x burst per service after "
                + (schedule.warmupS() + DemoWiring.START_SLACK_S) + " s of its nominal load:");
        sampler.drive(t -> wiring.submitTraining(jobs, timeline, t), Duration.ofSeconds(120));
        DemoSummary s = sampler.summary();
        Map<String, double[]> spans = sampler.burstSpans();
        teardown(false);
        double wall = (System.nanoTime() - t0) / 1e9;
        Path html = writeReport(s, wall);
        con.println();
        con.printf(Locale.ROOT, "placements: %d training jobs on inference GPUs (%d on exactly the GPU admitd chose),"
                + " %d deferred at least once%n", s.placed(), s.placedAsChosen(), s.deferred());
        spans.forEach((svc, span) -> {
            int[] w = DemoSummary.burstWindows(timeline, Map.of(svc, span));
            double max = timeline.series("p99." + svc).stream().mapToDouble(Timeline.Point::value).max().orElse(Double.NaN);
            con.printf(Locale.ROOT, "service %s: p99 over its SLO (%.0f ms) in %d of %d burst seconds; worst 1-s p99 %.0f ms%n",
                    svc, timeline.last("slo." + svc), w[1], w[0], max);
        });
        double work = timeline.series("train.work_ms_per_s").stream().mapToDouble(Timeline.Point::value).average()
                .orElse(Double.NaN);
        con.printf(Locale.ROOT, "training throughput: %.0f ms of GPU work per second on average (all jobs)%n", work);
        con.printf(Locale.ROOT, "controller actions: %d%n", s.controllerActions());
        con.printf(Locale.ROOT, "GPUs: %d used vs %d dedicated (%d saved)%n", s.gpusUsed(), s.gpusDedicated(), s.gpusSaved());
        con.println("report: " + html);
        con.printf(Locale.ROOT, "demo wall s: %.1f%n", wall);
        con.printf(Locale.ROOT, "demo burst violation windows %%: %.2f%n", s.burstViolationPct());
        return 0;
    }

    private Path writeReport(DemoSummary s, double wall) {
        try {
            return DemoReport.write(out, timeline, s, wall);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report under " + out + ": " + e.getMessage(), e);
        }
    }

    private void step(String what, Runnable action) {
        long t = System.nanoTime();
        con.print("gpucolo demo: " + what + " ... ");
        con.flush();
        action.run();
        con.printf(Locale.ROOT, "ok (%.1f s)%n", (System.nanoTime() - t) / 1e9);
    }

    private void install() {
        ProcessTracker.Result r = tracker.run("install.sh", List.of("bash", root.resolve("etc/lab/install.sh").toString()),
                env, Duration.ofMinutes(3));
        if (!r.ok()) {
            throw new Unavailable("cannot install Slurm and munge (etc/lab/install.sh exit " + r.exitCode() + "): "
                    + lastLines(r.output(), 3));
        }
    }

    private void clearStale() {
        LabProcesses procs = new LabProcesses();
        boolean othersUseMunge = !procs.foreignSlurm(lab).isEmpty();
        List<LabProcesses.Found> stale = procs.ofLab(lab).stream()
                .filter(f -> !othersUseMunge || !f.name().equals("munged")).toList();
        if (!stale.isEmpty()) {
            con.print("found " + stale.size() + " process(es) left by an earlier run " + stale + "; tearing that lab down ... ");
            new ProcessTracker(lab.resolve("demo.pids")).run("teardown.sh",
                    List.of("bash", root.resolve("etc/lab/teardown.sh").toString()), env, Duration.ofSeconds(60));
            List<LabProcesses.Found> left = LabProcesses.stop(procs.ofLab(lab).stream()
                    .filter(f -> !othersUseMunge || !f.name().equals("munged")).toList(), Duration.ofSeconds(5));
            if (!left.isEmpty()) {
                throw new Refused("cannot stop processes left by an earlier demo run: " + left);
            }
        }
        for (int port : slurmPorts) {
            if (!LabProcesses.portFree(port)) {
                throw new Refused("port " + port + " is in use by a Slurm (or another program) that this demo did not"
                        + " start " + procs.foreignSlurm(lab) + "; stop it first (for a gpucolo lab: LAB=<its dir> bash"
                        + " etc/lab/teardown.sh), run on other ports (--slurm-ports), or run 'gpucolo demo --offline'");
            }
        }
    }

    /** The demo user's jobs run the launcher under the lab folder: every folder above it must be searchable. */
    private void checkLabReachable() {
        for (Path d = lab.getParent(); d != null; d = d.getParent()) {
            try {
                if (!java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(d)).endsWith("x")) {
                    throw new Refused("the lab folder " + lab + " is not reachable by user " + user + ": " + d
                            + " is not searchable by others; choose another --lab");
                }
            } catch (IOException e) {
                throw new Refused("cannot read the permissions of " + d + ": " + e.getMessage());
            }
        }
    }

    private void ensureUser() {
        if (tracker.run("id", List.of("id", "-u", user), env, Duration.ofSeconds(5)).ok()) {
            return;
        }
        ProcessTracker.Result r = tracker.run("useradd", List.of("useradd", "--system", "--no-create-home",
                "--shell", "/usr/sbin/nologin", user), env, Duration.ofSeconds(20));
        if (!r.ok()) {
            throw new Refused("cannot create user " + user + ": " + lastLines(r.output(), 2));
        }
    }

    private void bringup(DemoWiring wiring) {
        Map<String, String> e = new HashMap<>(env);
        e.putAll(wiring.bringupEnv());
        e.put("SLURMCTLD_PORT", Integer.toString(slurmPorts[0]));
        e.put("SLURMD_PORT", Integer.toString(slurmPorts[1]));
        ProcessTracker.Result r = tracker.run("bringup.sh", List.of("bash", root.resolve("etc/lab/bringup.sh").toString()),
                e, Duration.ofSeconds(90));
        if (!r.ok()) {
            throw new Unavailable("Slurm did not come up (etc/lab/bringup.sh exit " + r.exitCode() + "): "
                    + lastLines(r.output(), 4));
        }
        wiring.afterBringup();
    }

    /**
     * Stops everything this run started, once: Slurm's jobs and daemons through the lab's teardown script,
     * then the daemons this run started itself, then anything else carrying this lab's marker; says what it
     * stopped and whether anything is left.
     */
    void teardown(boolean interrupted) {
        synchronized (stopLock) {
            if (tornDown) {
                return;
            }
            tornDown = true;
            tracker.close();
            boolean slurm = Files.exists(lab.resolve("run/slurmctld.bgpid")) || Files.exists(lab.resolve("run/slurmd.bgpid"));
            LabProcesses procs = new LabProcesses();
            List<LabProcesses.Found> others = procs.foreignSlurm(lab);
            if (!others.isEmpty()) {
                keepSharedMunge();
            }
            if (slurm) {
                new ProcessTracker(lab.resolve("demo.pids")).run("teardown.sh",
                        List.of("bash", root.resolve("etc/lab/teardown.sh").toString()), env, Duration.ofSeconds(60));
            }
            int daemons = tracker.stopAll(Duration.ofSeconds(5));
            List<LabProcesses.Found> stray = procs.ofLab(lab).stream()
                    .filter(f -> others.isEmpty() || !f.name().equals("munged")).toList();
            List<LabProcesses.Found> left = LabProcesses.stop(stray, Duration.ofSeconds(5));
            String what = "stopped " + (slurm ? "Slurm, " : "") + daemons + " daemon(s) and " + (stray.size() - left.size()) + " other process(es)";
            if (!others.isEmpty() && procs.ofLab(lab).stream().anyMatch(f -> f.name().equals("munged"))) {
                what += " (munged left running: another Slurm on this machine uses it " + others + ")";
            }
            if (left.isEmpty()) {
                con.println("gpucolo demo: " + what + "; nothing of this run is left running"
                        + (interrupted ? " (interrupted)" : ""));
            } else {
                con.println("gpucolo demo: " + what + "; STILL RUNNING: " + left);
            }
        }
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Another Slurm uses the munged this run started: the lab's teardown must not stop it. */
    private void keepSharedMunge() {
        try {
            Files.deleteIfExists(lab.resolve("run/munged.pid"));
        } catch (IOException e) {
            con.println("gpucolo demo: cannot keep munged for the other Slurm: " + e.getMessage());
        }
    }

    static String lastLines(String text, int n) {
        List<String> lines = text.strip().lines().toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }
}
