package io.gpucolo.node.hooks;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gpucolo bench node-hooks}: wall time of the Slurm hooks as slurmd starts them: a fresh process each, through
 * the launcher ({@code bin/gpucolo prolog|taskprolog|epilog}, its JVM options and lean entry point), with and without
 * the hooks' AppCDS archive ({@code gpucolo hooks-archive}, written here into the scratch directory), alternating so
 * that both see the same load. The prolog reads the decision through an {@code scontrol} stand-in (a shell script
 * printing the job's admin comment: the process start is paid, not slurmctld's RPC) and registers with a noded
 * stand-in that answers {@code ok} (the hook's side of the call is paid: connect, encode, decode). The first prolog
 * of the GPU starts the emulated MPS daemon, the last epilog quits it; then {@code probe}.
 */
@Command(name = "node-hooks", mixinStandardHelpOptions = true, description = "Time prolog, taskprolog, epilog and probe.")
public final class HooksBenchCommand implements Callable<Integer> {
    private static final List<String> PASSED = List.of("GPUCOLO_JAR", "GPUCOLO_CLASSPATH", "GPUCOLO_JAVA", "JAVA_HOME");

    @Option(names = "--runs", description = "prolog/taskprolog/epilog cycles per mode (default: ${DEFAULT-VALUE})")
    int runs = 20;

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || runs > 1000) {
            throw new IllegalArgumentException("--runs must be 1..1000");
        }
        String launcher = System.getenv("GPUCOLO_LAUNCHER");
        if (launcher == null || !Files.isExecutable(Path.of(launcher))) {
            throw new IllegalArgumentException("run it through bin/gpucolo (GPUCOLO_LAUNCHER names the launcher to time)");
        }
        Path dir = Files.createTempDirectory("gpucolo-bench-hooks");
        Thread noded = HooksArchive.standInNoded(dir.resolve("noded.sock"));
        try {
            return bench(launcher, dir);
        } finally {
            noded.interrupt();
            HooksArchive.deleteTree(dir);
        }
    }

    private int bench(String launcher, Path dir) throws IOException, InterruptedException {
        Path mps = script(dir.resolve("nvidia-cuda-mps-control"), "exec " + launcher + " emu-mps-control \"$@\"");
        Path scontrol = script(dir.resolve("scontrol"),
                "echo \"JobId=$5 JobName=bench AdminComment=gpucolo:train id=d$5 gpu=bench:g0 share=30 mem=1024 Comment=(null)\"");
        Path conf = dir.resolve("node.conf");
        Files.writeString(conf, "mps_control = " + mps + "\nscontrol = " + scontrol + "\nstate_dir = " + dir.resolve("state")
                + "\nmps_pipe_root = " + dir.resolve("mps") + "\nmps_log_root = " + dir.resolve("mpslog")
                + "\nnoded_socket = " + dir.resolve("noded.sock") + "\nmps_pass_env = " + String.join(" ", PASSED) + "\n");
        Path archive = dir.resolve("hooks.jsa");
        Map<String, String> withArchive = Map.of("GPUCOLO_HOOKS_CDS", archive.toString());
        Map<String, String> without = Map.of("GPUCOLO_HOOKS_CDS", dir.resolve("none.jsa").toString());
        time(launcher, withArchive, Map.of(), "hooks-archive");
        boolean cds = Files.isRegularFile(archive);
        long uid = ((Number) Files.getAttribute(dir, "unix:uid")).longValue();
        double first = time(launcher, withArchive, job(1, uid), "prolog", "--config", conf.toString());
        List<Map<String, String>> modes = cds ? List.of(without, withArchive) : List.of(without);
        double[][][] ms = new double[modes.size()][3][runs];
        int job = 2;
        for (int i = 0; i < runs; i++) {
            for (int m = 0; m < modes.size(); m++, job++) {
                ms[m][0][i] = time(launcher, modes.get(m), job(job, uid), "prolog", "--config", conf.toString());
                ms[m][1][i] = time(launcher, modes.get(m), Map.of("SLURM_JOB_ID", Integer.toString(job)), "taskprolog",
                        "--config", conf.toString());
                ms[m][2][i] = time(launcher, modes.get(m), job(job, uid), "epilog", "--config", conf.toString());
            }
        }
        double last = time(launcher, withArchive, job(1, uid), "epilog", "--config", conf.toString());
        double probe = time(launcher, Map.of(), Map.of(), "probe");
        System.out.printf(Locale.ROOT, "first prolog of a GPU (starts the emulated MPS daemon): %.0f ms%n", first);
        System.out.printf(Locale.ROOT, "last epilog of a GPU (quits the MPS daemon): %.0f ms%n", last);
        System.out.printf(Locale.ROOT, "probe (this machine): %.0f ms%n", probe);
        String[] hooks = {"prolog", "taskprolog", "epilog"};
        for (int m = 0; m < modes.size(); m++) {
            for (int h = 0; h < 3; h++) {
                System.out.println(line(hooks[h] + (m == 0 ? " without archive" : " with archive"), ms[m][h]));
            }
        }
        double[][] best = ms[modes.size() - 1];
        System.out.printf(Locale.ROOT, "node hooks p50/p99 ms %s: prolog %.0f/%.0f, taskprolog %.0f/%.0f, epilog %.0f/%.0f "
                        + "(target 200)%n", cds ? "with the archive" : "WITHOUT an archive (hooks-archive failed)",
                pct(best[0], 50), pct(best[0], 99), pct(best[1], 50), pct(best[1], 99), pct(best[2], 50), pct(best[2], 99));
        return 0;
    }

    private static Path script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private static Map<String, String> job(int job, long uid) {
        return Map.of("SLURM_JOB_ID", Integer.toString(job), "SLURM_JOB_UID", Long.toString(uid), "SLURMD_NODENAME", "bench",
                "SLURM_JOB_GPUS", "0");
    }

    private static String line(String what, double[] ms) {
        return String.format(Locale.ROOT, "%s over %d runs: p50 %.0f ms, p99 %.0f ms, max %.0f ms", what, ms.length,
                pct(ms, 50), pct(ms, 99), Arrays.stream(ms).max().orElse(0));
    }

    private static double pct(double[] ms, double p) {
        double[] s = ms.clone();
        Arrays.sort(s);
        return s[Math.max(0, (int) Math.ceil(p / 100 * s.length) - 1)];
    }

    /** Wall ms of {@code launcher ARGS} in an environment of only the Slurm variables, the mode and the build's. */
    private static double time(String launcher, Map<String, String> mode, Map<String, String> slurm, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(launcher));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> e = pb.environment();
        Map<String, String> keep = new HashMap<>();
        for (String v : PASSED) {
            if (e.containsKey(v)) {
                keep.put(v, e.get(v));
            }
        }
        e.clear();
        e.putAll(keep);
        e.putAll(mode);
        e.putAll(slurm);
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", args) + " did not finish in 120 s");
        }
        return (System.nanoTime() - t0) / 1e6;
    }
}
