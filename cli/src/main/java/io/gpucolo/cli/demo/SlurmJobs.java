package io.gpucolo.cli.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's Slurm client: submits jobs with {@code sbatch} as the unprivileged demo user (through
 * {@code runuser}, argument lists only) and lists the lab's jobs with {@code squeue}. The job's script is the
 * lab's gpucolo launcher; its arguments are passed as sbatch script arguments, never through a shell.
 */
final class SlurmJobs {
    /** A job as squeue shows it; {@code gpu} is the typed GRES index it is pinned to, or -1. */
    record Job(long id, String name, String state, String reason, String gres, int gpu) {
        boolean deferred() {
            return state.equals("PENDING") && reason.contains("Held");
        }
    }

    /**
     * Where admitd chose to put a job (from its {@code admin_comment}, {@code gpu=node:gK}) and where Slurm
     * actually runs it (the {@code IDX} of its GRES in {@code scontrol -d show job}).
     */
    record Placed(String chosen, int chosenIndex, int slurmIndex) {
        boolean asChosen() {
            return chosenIndex >= 0 && chosenIndex == slurmIndex;
        }
    }

    private static final Pattern CHOSEN = Pattern.compile("AdminComment=gpucolo:\\S+ .*?gpu=([A-Za-z0-9._-]+:g(\\d+))");
    private static final Pattern IDX = Pattern.compile("GRES=(?:gpu|mps):g\\d+:\\d+\\(IDX:(\\d+)\\)");
    private static final Pattern TYPED = Pattern.compile("(?:gpu|mps):g(\\d+)");

    private final ProcessTracker tracker;
    private final Map<String, String> env;
    private final String user;
    private final Path lab;

    SlurmJobs(ProcessTracker tracker, Map<String, String> env, String user, Path lab) {
        this.tracker = tracker;
        this.env = env;
        this.user = user;
        this.lab = lab;
    }

    /**
     * Submits {@code lab/bin/gpucolo ARGS...} as a batch job of the demo user; returns the job id, or the
     * failure with sbatch's own message.
     */
    long submit(String name, String comment, List<String> extraSbatch, List<String> gpucoloArgs) {
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", user, "--", "env",
                "SLURM_CONF=" + env.get("SLURM_CONF"), LabProcesses.MARKER + "=" + env.get(LabProcesses.MARKER),
                "sbatch", "--parsable", "--job-name=" + name, "--comment=" + comment,
                "--chdir=" + lab.resolve("out"), "--output=" + lab.resolve("out") + "/%j-" + name + ".out"));
        cmd.addAll(extraSbatch);
        cmd.add(lab.resolve("bin/gpucolo").toString());
        cmd.addAll(gpucoloArgs);
        ProcessTracker.Result r = tracker.run("sbatch " + name, cmd, env, Duration.ofSeconds(20));
        Optional<Long> id = r.output().lines().map(String::strip).filter(l -> l.matches("\\d+(;.*)?"))
                .map(l -> Long.parseLong(l.split(";")[0])).findFirst();
        if (!r.ok() || id.isEmpty()) {
            throw new IllegalStateException("sbatch of " + name + " failed (exit " + r.exitCode() + "): " + r.output().strip());
        }
        return id.get();
    }

    /** Every job of the lab, or empty when squeue failed. */
    Optional<List<Job>> list() {
        ProcessTracker.Result r = tracker.run("squeue", List.of("squeue", "-h", "-t", "all", "-o", "%i|%j|%T|%r|%b"),
                env, Duration.ofSeconds(10));
        if (!r.ok()) {
            return Optional.empty();
        }
        return Optional.of(parse(r.output()));
    }

    /** The placement of job {@code id}, or empty when scontrol failed or the job is not a gpucolo placement. */
    Optional<Placed> placement(long id) {
        ProcessTracker.Result r = tracker.run("scontrol", List.of("scontrol", "-d", "show", "job", Long.toString(id)),
                env, Duration.ofSeconds(10));
        return r.ok() ? parsePlacement(r.output()) : Optional.empty();
    }

    static Optional<Placed> parsePlacement(String scontrolOut) {
        Matcher c = CHOSEN.matcher(scontrolOut);
        if (!c.find()) {
            return Optional.empty();
        }
        Matcher i = IDX.matcher(scontrolOut);
        return Optional.of(new Placed(c.group(1), Integer.parseInt(c.group(2)), i.find() ? Integer.parseInt(i.group(1)) : -1));
    }

    static List<Job> parse(String squeueOut) {
        List<Job> out = new ArrayList<>();
        for (String line : squeueOut.split("\n")) {
            String[] f = line.strip().split("\\|", -1);
            if (f.length != 5 || !f[0].matches("\\d+")) {
                continue;
            }
            Matcher m = TYPED.matcher(f[4]);
            out.add(new Job(Long.parseLong(f[0]), f[1], f[2], f[3], f[4], m.find() ? Integer.parseInt(m.group(1)) : -1));
        }
        return out;
    }
}
