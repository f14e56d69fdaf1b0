package io.gpucolo.admitd.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The local Slurm lab for benchmarks: {@code etc/lab/bringup.sh} / {@code teardown.sh} under {@code root}, and
 * {@code gpucolo admitd} as a child process of this JVM's class path. Commands run by argument list.
 */
final class LabCluster implements AutoCloseable {
    private final Path root;
    private final Path lab;
    private Process admitd;

    LabCluster(Path root, Path lab) {
        this.root = root;
        this.lab = lab;
    }

    /** The repository root: $GPUCOLO_ROOT, else two levels above the jar (cli/target/gpucolo.jar), else the cwd. */
    static Path findRoot() {
        String env = System.getenv("GPUCOLO_ROOT");
        if (env != null && Files.isDirectory(Path.of(env, "etc/lab"))) {
            return Path.of(env);
        }
        try {
            Path p = Path.of(LabCluster.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path d = p; d != null; d = d.getParent()) {
                if (Files.isRegularFile(d.resolve("etc/lab/bringup.sh"))) {
                    return d;
                }
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // fall through
        }
        return Path.of("").toAbsolutePath();
    }

    /** True as root; otherwise says why the benchmark cannot run. */
    static boolean isRoot(java.io.PrintWriter err, String bench) {
        if ("root".equals(System.getProperty("user.name"))) {
            return true;
        }
        err.println("gpucolo bench " + bench + ": must run as root (it starts slurmctld and slurmd)");
        err.flush();
        return false;
    }

    Path lab() {
        return lab;
    }

    Path slurmConf() {
        return lab.resolve("etc/slurm.conf");
    }

    record Run(int exit, String out, String err, long nanos) {
    }

    Run run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(Path.of("/tmp").toFile());
        pb.environment().put("LAB", lab.toString());
        pb.environment().put("SLURM_CONF", slurmConf().toString());
        Path out = Files.createTempFile("bench", ".out");
        Path err = Files.createTempFile("bench", ".err");
        try {
            long t0 = System.nanoTime();
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", cmd));
            }
            long dt = System.nanoTime() - t0;
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), dt);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    Run as(String user, List<String> cmd) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("runuser", "-u", user, "--", "env", "SLURM_CONF=" + slurmConf()));
        c.addAll(cmd);
        return run(c);
    }

    void up() throws IOException, InterruptedException {
        for (String u : List.of("alice", "bob", "carol", "dave")) {
            if (run(List.of("id", u)).exit() != 0) {
                run(List.of("useradd", "-m", "-s", "/bin/bash", u));
            }
        }
        run(List.of("bash", root.resolve("etc/lab/teardown.sh").toString()));
        Run r = run(List.of("bash", root.resolve("etc/lab/bringup.sh").toString()));
        if (r.exit() != 0) {
            throw new IOException("bringup.sh failed: " + r.err() + r.out());
        }
    }

    /** The lab policy with its store under the lab's state directory. */
    Path policy() throws IOException {
        String base = Files.readString(root.resolve("etc/lab/gpucolo-lab.yaml"), StandardCharsets.UTF_8);
        String url = "jdbc:h2:file:" + lab.resolve("state/gpucolo") + ";AUTO_SERVER=TRUE";
        Path f = lab.resolve("etc/gpucolo-bench.yaml");
        Files.writeString(f, base.replace("\nadmitd:\n", "\nadmitd:\n  database_url: \"" + url + "\"\n"), StandardCharsets.UTF_8);
        return f;
    }

    String storeUrl() {
        return "jdbc:h2:file:" + lab.resolve("state/gpucolo") + ";AUTO_SERVER=TRUE";
    }

    private String journalSync = "ALWAYS";

    void journalSync(String mode) {
        journalSync = mode;
    }

    /**
     * Starts admitd as production does: through {@code bin/gpucolo} (its JVM options for admitd) when the benchmark runs
     * under it ({@code GPUCOLO_LAUNCHER}), else this JVM's java on this classpath (tests).
     */
    void startAdmitd() throws IOException, InterruptedException {
        startAdmitd(true);
    }

    /**
     * @param warm also wait (up to 60 s) until admitd has warmed its request path up (it serves meanwhile, only
     *             slower): a benchmark of the steady state starts then; a restart under load does not wait
     */
    void startAdmitd(boolean warm) throws IOException, InterruptedException {
        Path log = lab.resolve("log/admitd.log");
        int before = listened(log);
        int warmBefore = count(log, WARMED);
        List<String> cmd = new ArrayList<>();
        String launcher = System.getenv("GPUCOLO_LAUNCHER");
        if (launcher != null && Files.isExecutable(Path.of(launcher))) {
            cmd.addAll(List.of(launcher, "admitd"));
        } else {
            cmd.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                    System.getProperty("java.class.path"), "io.gpucolo.admitd.AdmitdMain"));
        }
        cmd.addAll(List.of("--policy", policy().toString(), "--journal", lab.resolve("state/admitd.journal").toString(),
                "--secret-file", lab.resolve("etc/gpucolo.secret").toString(), "--slurm-conf", slurmConf().toString(),
                "--journal-sync", journalSync));
        admitd = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (listened(log) <= before) {
            if (!admitd.isAlive() || System.nanoTime() > end) {
                throw new IOException("admitd did not start; see " + log);
            }
            Thread.sleep(100);
        }
        Thread.sleep(2500);                           // the hook re-reads its settings every 2 s
        long warmEnd = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (warm && count(log, WARMED) <= warmBefore && admitd.isAlive() && System.nanoTime() < warmEnd) {
            Thread.sleep(100);
        }
    }

    /** The line admitd logs when its warm-up ({@code io.gpucolo.admitd.WarmUp}) is over. */
    private static final String WARMED = "warm-up of the request path:";

    private static int listened(Path log) throws IOException {
        return count(log, "admitd: listening");
    }

    private static int count(Path log, String text) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8).split(java.util.regex.Pattern.quote(text), -1).length - 1 : 0;
    }

    void kill9Admitd() throws InterruptedException {
        admitd.destroyForcibly();
        admitd.waitFor(10, TimeUnit.SECONDS);
    }

    void stopAdmitd() throws InterruptedException {
        if (admitd != null && admitd.isAlive()) {
            admitd.destroy();
            if (!admitd.waitFor(20, TimeUnit.SECONDS)) {
                admitd.destroyForcibly();
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stopAdmitd();
        run(List.of("bash", root.resolve("etc/lab/teardown.sh").toString()));
    }
}
