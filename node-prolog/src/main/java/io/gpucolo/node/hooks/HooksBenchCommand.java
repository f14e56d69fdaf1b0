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
 * {@code gpucolo bench node-hooks}: wall time of the Slurm hooks as Slurm starts them (a fresh JVM each, the fast-start
 * options of {@code bin/gpucolo}, the lean {@link HooksMain}), on the emulated MPS daemon in a scratch state
 * directory: the first prolog of a GPU (starts the MPS daemon), then {@code --runs} cycles of prolog, taskprolog and
 * epilog of co-located jobs, then the last epilog (quits the daemon), and {@code probe} on this machine.
 */
@Command(name = "node-hooks", mixinStandardHelpOptions = true, description = "Time prolog, taskprolog, epilog and probe.")
public final class HooksBenchCommand implements Callable<Integer> {
    @Option(names = "--runs", description = "prolog/taskprolog/epilog cycles (default: ${DEFAULT-VALUE})")
    int runs = 10;

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || runs > 1000) {
            throw new IllegalArgumentException("--runs must be 1..1000");
        }
        Path dir = Files.createTempDirectory("gpucolo-bench-hooks");
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        String cp = System.getProperty("java.class.path");
        Path mps = dir.resolve("nvidia-cuda-mps-control");
        Files.writeString(mps, "#!/bin/sh\nexec " + java + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp " + cp
                + " io.gpucolo.node.emu.EmuMain emu-mps-control \"$@\"\n");
        Files.setPosixFilePermissions(mps, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path conf = dir.resolve("node.conf");
        Files.writeString(conf, "mps_control = " + mps + "\nscontrol = /bin/true\nstate_dir = " + dir.resolve("state")
                + "\nmps_pipe_root = " + dir.resolve("mps") + "\nmps_log_root = " + dir.resolve("mpslog")
                + "\nnoded_socket = " + dir.resolve("noded.sock") + "\n");
        Files.createDirectories(dir.resolve("state/decisions"));
        long uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        for (int j = 1; j <= runs + 1; j++) {
            Files.writeString(dir.resolve("state/decisions/" + j), "gpucolo:train id=d" + j + " gpu=bench:g0 share=30 mem=1024\n");
        }
        List<String> base = List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", cp);
        double first = time(base, HooksMain.class, env("1", uid), "prolog", "--config", conf.toString());
        double[] pro = new double[runs];
        double[] task = new double[runs];
        double[] epi = new double[runs];
        for (int i = 0; i < runs; i++) {
            String job = Integer.toString(i + 2);
            pro[i] = time(base, HooksMain.class, env(job, uid), "prolog", "--config", conf.toString());
            task[i] = time(base, HooksMain.class, Map.of("SLURM_JOB_ID", job), "taskprolog", "--config", conf.toString());
            epi[i] = time(base, HooksMain.class, env(job, uid), "epilog", "--config", conf.toString());
        }
        double last = time(base, HooksMain.class, env("1", uid), "epilog", "--config", conf.toString());
        double probe = time(base, io.gpucolo.node.probe.ProbeMain.class, Map.of(), "probe");
        System.out.printf(Locale.ROOT, "first prolog of a GPU (starts the emulated MPS daemon): %.0f ms%n", first);
        System.out.printf(Locale.ROOT, "last epilog of a GPU (quits the MPS daemon): %.0f ms%n", last);
        System.out.printf(Locale.ROOT, "probe (this machine): %.0f ms%n", probe);
        System.out.println(line("prolog", pro));
        System.out.println(line("taskprolog", task));
        System.out.println(line("epilog", epi));
        System.out.printf(Locale.ROOT, "node hooks p50 ms: prolog %.0f, taskprolog %.0f, epilog %.0f (target 200)%n",
                pct(pro, 50), pct(task, 50), pct(epi, 50));
        return 0;
    }

    private static Map<String, String> env(String job, long uid) {
        return Map.of("SLURM_JOB_ID", job, "SLURM_JOB_UID", Long.toString(uid), "SLURMD_NODENAME", "bench",
                "SLURM_JOB_GPUS", "0");
    }

    private static String line(String hook, double[] ms) {
        return String.format(Locale.ROOT, "%s over %d runs: p50 %.0f ms, p95 %.0f ms, max %.0f ms", hook, ms.length,
                pct(ms, 50), pct(ms, 95), Arrays.stream(ms).max().orElse(0));
    }

    private static double pct(double[] ms, double p) {
        double[] s = ms.clone();
        Arrays.sort(s);
        return s[Math.max(0, (int) Math.ceil(p / 100 * s.length) - 1)];
    }

    private static double time(List<String> base, Class<?> main, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(base);
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> e = pb.environment();
        e.clear();
        e.putAll(new HashMap<>(env));
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", args) + " did not finish in 120 s");
        }
        return (System.nanoTime() - t0) / 1e6;
    }
}
