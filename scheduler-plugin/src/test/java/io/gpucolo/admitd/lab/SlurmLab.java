package io.gpucolo.admitd.lab;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real one-node Slurm 22.05 (munge, slurmctld, slurmd) brought up by {@code etc/lab/bringup.sh} and torn down
 * by {@code etc/lab/teardown.sh}; commands run as real users through {@code runuser}, by argument list.
 * Needs root and Debian's Slurm packages ({@code etc/lab/install.sh}, run by {@code .ci/run}).
 */
public final class SlurmLab implements AutoCloseable {
    public static final Path ROOT = Path.of(System.getProperty("gpucolo.root", "..")).toAbsolutePath().normalize();
    private final Path lab;
    private final Map<String, String> env;

    /** The outcome of one command. */
    public record Result(int exit, String out, String err) {
        public boolean ok() {
            return exit == 0;
        }
    }

    private SlurmLab(Path lab, Map<String, String> env) {
        this.lab = lab;
        this.env = env;
    }

    /** Skips (with the reason) unless this machine can run the lab: root and slurmctld installed. */
    public static void assumeAvailable() {
        assumeTrue("root".equals(System.getProperty("user.name")), "the Slurm lab needs root (runs slurmctld, creates users)");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/slurmctld")),
                "Slurm is not installed: run etc/lab/install.sh (.ci/run does)");
    }

    public static SlurmLab start(Path lab, Map<String, String> extraEnv) throws IOException, InterruptedException {
        assumeAvailable();
        Map<String, String> env = new java.util.HashMap<>(extraEnv);
        env.put("LAB", lab.toString());
        SlurmLab l = new SlurmLab(lab, Map.copyOf(env));
        for (String u : List.of("alice", "bob", "carol", "dave")) {
            if (!l.run(List.of("id", u)).ok()) {
                l.check(l.run(List.of("useradd", "-m", "-s", "/bin/bash", u)), "useradd " + u);
            }
        }
        l.run(List.of("bash", ROOT.resolve("etc/lab/teardown.sh").toString()));
        l.check(l.run(List.of("bash", ROOT.resolve("etc/lab/bringup.sh").toString())), "bringup.sh");
        return l;
    }

    public Path lab() {
        return lab;
    }

    public Path slurmConf() {
        return lab.resolve("etc/slurm.conf");
    }

    public Path secretFile() {
        return lab.resolve("etc/gpucolo.secret");
    }

    public Path hookConf() {
        return lab.resolve("etc/gpucolo-hook.conf");
    }

    public Result run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(Path.of("/tmp").toFile());
        pb.environment().putAll(env);
        pb.environment().put("SLURM_CONF", slurmConf().toString());
        Path out = Files.createTempFile("lab", ".out");
        Path err = Files.createTempFile("lab", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + cmd);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Runs a command as a normal user (runuser, no shell). */
    public Result as(String user, String... cmd) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("runuser", "-u", user, "--", "env", "SLURM_CONF=" + slurmConf()));
        c.addAll(List.of(cmd));
        return run(c);
    }

    /** sbatch as a user; the job sleeps {@code seconds}. Returns the result (job id in out when accepted). */
    public Result sbatch(String user, List<String> opts, int seconds) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("sbatch", "--parsable", "-o", "/dev/null"));
        c.addAll(opts);
        c.addAll(List.of("--wrap", "sleep " + seconds));
        return as(user, c.toArray(String[]::new));
    }

    public String submit(String user, String... opts) throws IOException, InterruptedException {
        Result r = sbatch(user, List.of(opts), 600);
        check(r, "sbatch " + String.join(" ", opts));
        return r.out().strip();
    }

    public String showJob(String id) throws IOException, InterruptedException {
        return run(List.of("scontrol", "-d", "show", "job", id)).out();
    }

    public String field(String id, String key) throws IOException, InterruptedException {
        Matcher m = Pattern.compile("(?:^|\\s)" + Pattern.quote(key) + "=(\\S*)").matcher(showJob(id));
        return m.find() ? m.group(1) : "";
    }

    public String state(String id) throws IOException, InterruptedException {
        return field(id, "JobState");
    }

    /** The allocated GRES with index, e.g. {@code mps:g0:30(IDX:0)}, or empty. */
    public String gres(String id) throws IOException, InterruptedException {
        return field(id, "GRES");
    }

    public void cancel(String... ids) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("scancel"));
        c.addAll(List.of(ids));
        run(c);
    }

    public void cancelAll() throws IOException, InterruptedException {
        for (String u : List.of("alice", "bob", "carol", "dave")) {
            run(List.of("scancel", "-u", u));
        }
        waitFor(() -> {
            try {
                return run(List.of("squeue", "-h", "-o", "%i")).out().isBlank();
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }, Duration.ofSeconds(30), "all jobs gone");
    }

    public static void waitFor(BooleanSupplier cond, Duration max, String what) throws InterruptedException {
        Instant end = Instant.now().plus(max);
        while (!cond.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("timed out after " + max.toSeconds() + " s waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }

    public void waitState(String id, String state, Duration max) throws InterruptedException {
        waitFor(() -> {
            try {
                return state(id).equals(state);
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }, max, "job " + id + " " + state);
    }

    private void check(Result r, String what) throws IOException {
        if (!r.ok()) {
            throw new IOException(what + " failed (exit " + r.exit() + "): " + r.err() + r.out());
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(List.of("bash", ROOT.resolve("etc/lab/teardown.sh").toString()));
    }
}
