package io.gpucolo.admitd.bench;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gpucolo bench hook}: brings up the local Slurm lab (root), submits co-location training jobs with
 * {@code sbatch} alternately without the hook (a pass-through job_submit.lua) and with the gpucolo hook asking a
 * running admitd, in blocks, and reports the submit latency of both and the time the hook itself adds inside
 * slurmctld (measured around the hook with {@code socket.gettime()}, as the pass-through side measures itself).
 * Last line: {@code hook p99 added ms: X} = p99 of the gpucolo hook's own time minus p99 of the pass-through's, both
 * taken inside slurmctld (the end-to-end sbatch difference is printed too, but carries the machine's noise).
 */
@Command(name = "hook", mixinStandardHelpOptions = true,
        description = "Submit latency added by the job_submit hook and admitd (real Slurm lab; run as root).")
public final class HookBenchCommand implements Callable<Integer> {
    private static final Pattern HOOK_MS = Pattern.compile("gpucolo: hook_ms=([0-9.]+)(?: ask_ms=([0-9.]+) scan_ms=([0-9.]+))?");
    private static final Pattern PASS_MS = Pattern.compile("gpucolo-pass: hook_ms=([0-9.]+)");
    /** The hook-less side: a job_submit.lua that does nothing but time itself the way the gpucolo hook does. */
    static final String PASS_THROUGH = "local socket = require(\"socket\")\n"
            + "function slurm_job_submit(j, p, u) local t0 = socket.gettime()\n"
            + "  slurm.log_info(\"gpucolo-pass: hook_ms=%.3f\", (socket.gettime() - t0) * 1000) return slurm.SUCCESS end\n"
            + "function slurm_job_modify(j, r, p, u) return slurm.SUCCESS end\nreturn slurm.SUCCESS\n";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--jobs", defaultValue = "1000", description = "submissions with the hook, and as many without (default: ${DEFAULT-VALUE})")
    int jobs;

    @Option(names = "--block", defaultValue = "50", description = "submissions per block before switching (default: ${DEFAULT-VALUE})")
    int block;

    @CommandLine.Mixin
    LabOptions labOptions;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!LabCluster.isRoot(spec.commandLine().getErr(), "hook")) {
            return 2;
        }
        if (jobs < 1 || block < 1) {
            throw new IllegalArgumentException("--jobs and --block must be positive");
        }
        try (LabCluster lab = labOptions.cluster()) {
            lab.up();
            lab.startAdmitd();
            Path hook = lab.lab().resolve("etc/job_submit.lua");
            String gpucolo = Files.readString(hook, StandardCharsets.UTF_8);
            Files.writeString(lab.lab().resolve("etc/gpucolo-hook.conf"), "timing=1\n", StandardOpenOption.APPEND);
            Histogram with = new Histogram(3);
            Histogram without = new Histogram(3);
            int failed = 0;
            int n = 0;
            for (int b = 0; n < 2 * jobs; b++) {
                boolean withHook = b % 2 == 1;
                install(hook, withHook ? gpucolo : PASS_THROUGH);
                for (int i = 0; i < block && n < 2 * jobs; i++, n++) {
                    LabCluster.Run r = lab.as(List.of("alice", "bob", "carol", "dave").get(n % 4), List.of("sbatch",
                            "--parsable", "-o", "/dev/null", "--begin=now+1hour",
                            "--comment=gpucolo:colocate share=10 mem=1G", "--wrap", "true"));
                    if (r.exit() != 0 && !r.err().contains("gpucolo: rejected")) {
                        failed++;
                    }
                    (withHook ? with : without).recordValue(Math.max(1, r.nanos() / 1000));
                }
            }
            String served = admitdServiceTimes(lab);
            Path log = lab.lab().resolve("log/slurmctld.log");
            Histogram hookHist = parse(log, HOOK_MS, 1);
            Histogram askHist = parse(log, HOOK_MS, 2);
            Histogram scanHist = parse(log, HOOK_MS, 3);
            Histogram passHist = parse(log, PASS_MS, 1);
            out.printf("machine: %d cores; lab %s; %d submissions per side, blocks of %d, alternating; journal %s%n",
                    Runtime.getRuntime().availableProcessors(), labOptions.labDir, jobs, block, labOptions.journalSync);
            out.printf("sbatch without hook: p50 %.2f ms  p99 %.2f ms%n", ms(without, 50), ms(without, 99));
            out.printf("sbatch with hook:    p50 %.2f ms  p99 %.2f ms  (failed submissions: %d)%n", ms(with, 50), ms(with, 99), failed);
            out.printf("sbatch difference:   p50 %+.2f ms  p99 %+.2f ms (end to end, includes machine noise)%n",
                    ms(with, 50) - ms(without, 50), ms(with, 99) - ms(without, 99));
            out.printf("admitd service time (accept to reply written, journal %s): %s%n", labOptions.journalSync, served);
            out.printf("inside slurmctld, pass-through hook (%d samples): p50 %.3f ms  p99 %.3f ms%n",
                    passHist.getTotalCount(), ms(passHist, 50), ms(passHist, 99));
            out.printf("inside slurmctld, gpucolo hook (%d samples): p50 %.3f ms  p99 %.3f ms  max %.3f ms%n",
                    hookHist.getTotalCount(), ms(hookHist, 50), ms(hookHist, 99), hookHist.getMaxValue() / 1000.0);
            out.printf("  of which admitd round trip (connect, send, reply): p50 %.3f ms  p99 %.3f ms%n", ms(askHist, 50), ms(askHist, 99));
            out.printf("  of which slurm.jobs scan (whole-GPU guard, reused up to 5 s): p50 %.3f ms  p99 %.3f ms  max %.3f ms%n",
                    ms(scanHist, 50), ms(scanHist, 99), scanHist.getMaxValue() / 1000.0);
            if (hookHist.getTotalCount() != jobs || passHist.getTotalCount() != jobs) {
                out.printf("the two sides did not run as planned (%d gpucolo, %d pass-through samples for %d each): a "
                        + "hook swap was not picked up by slurmctld; the figures mix the two%n",
                        hookHist.getTotalCount(), passHist.getTotalCount(), jobs);
            }
            out.printf("hook p50 added ms: %.3f%n", ms(hookHist, 50) - ms(passHist, 50));
            out.printf("hook p99 added ms: %.3f%n", ms(hookHist, 99) - ms(passHist, 99));
            out.flush();
            return hookHist.getTotalCount() == jobs && passHist.getTotalCount() == jobs ? 0 : 1;
        }
    }

    /** admitd's own service-time figures, asked over the protocol ({@code status}). */
    static String admitdServiceTimes(LabCluster lab) {
        try {
            io.gpucolo.admitd.cli.HookConfView c = io.gpucolo.admitd.cli.HookConfView.read(lab.lab().resolve("etc/gpucolo-hook.conf"));
            var r = new io.gpucolo.admitd.protocol.HookClient(c.port(), c.secret(), java.time.Duration.ofSeconds(5))
                    .ask(new io.gpucolo.admitd.protocol.Request("status", java.util.Map.of()));
            return r.field("requests").orElse("?") + " requests, p50 " + r.field("service_p50_ms").orElse("?")
                    + " ms, p99 " + r.field("service_p99_ms").orElse("?") + " ms\n  stages p50 ms: "
                    + r.field("stages_p50_ms").orElse("?") + "\n  stages p99 ms: " + r.field("stages_p99_ms").orElse("?")
                    + "\n  journal fsyncs: " + r.field("journal_fsyncs").orElse("?") + ", p50/p99/max ms "
                    + r.field("journal_fsync_p50_p99_max_ms").orElse("?") + "\n  hook thread: "
                    + r.field("hook_thread").orElse("?");
        } catch (Exception e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }

    /**
     * Replaces job_submit.lua; slurmctld reloads it on the next submission. Slurm reloads only when the file's mtime,
     * in whole seconds, is above that of the script it loaded ({@code slurm_lua_loadscript}: {@code st_mtime <=
     * load_time} skips), so the new file gets the later of now and the old mtime plus one second: two swaps within one
     * second would otherwise leave the old script in place for a whole block.
     */
    static void install(Path hook, String text) throws java.io.IOException {
        Path tmp = hook.resolveSibling("job_submit.lua.tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();
        long old = Files.exists(hook) ? Files.getLastModifiedTime(hook).to(java.util.concurrent.TimeUnit.SECONDS) : 0;
        Files.setLastModifiedTime(tmp, FileTime.from(Math.max(now, old + 1), java.util.concurrent.TimeUnit.SECONDS));
        Files.move(tmp, hook, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The values of one group of a pattern over slurmctld's log, in microseconds. */
    static Histogram parse(Path ctldLog, Pattern p, int group) throws java.io.IOException {
        Histogram h = new Histogram(3);
        for (String line : Files.readAllLines(ctldLog, StandardCharsets.UTF_8)) {
            Matcher m = p.matcher(line);
            if (m.find() && m.group(group) != null) {
                h.recordValue(Math.max(1, Math.round(Double.parseDouble(m.group(group)) * 1000)));
            }
        }
        return h;
    }

    static double ms(Histogram h, double pct) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(pct) / 1000.0;
    }
}
