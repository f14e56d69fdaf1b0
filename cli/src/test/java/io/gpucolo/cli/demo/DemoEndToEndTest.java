package io.gpucolo.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, end to end, as a separate process ({@code java -cp <test classpath>
 * io.gpucolo.cli.Main demo --quick}): a real Slurm, admitd, noded, the emulated GPU, jobs submitted with
 * sbatch by an unprivileged user, a real burst, a real SIGINT and a real SIGKILL. Needs root and Debian's
 * Slurm packages (as {@code .ci/run} provides); each test cleans up what its demo started.
 */
class DemoEndToEndTest {
    /** Bound on the burst's violation fraction asserted here; the target (1 %) is measured by the full demo. */
    private static final double VIOLATION_BOUND_PCT = 5.0;
    /** Not Slurm's default ports: the test's lab may run beside another lab (e.g. the integration tests'). */
    private static final int CTLD_PORT = 6917;
    private static final int SLURMD_PORT = 6918;
    private static final Pattern VIOLATIONS = Pattern.compile("demo burst violation windows %: ([0-9.]+)");
    private static final Pattern WALL = Pattern.compile("demo wall s: ([0-9.]+)");

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        started.forEach(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
        started.forEach(Process::destroyForcibly);
        Path lab = tmp.resolve("lab");
        LabProcesses.stop(new LabProcesses().ofLab(lab), Duration.ofSeconds(5));
    }

    private Process demo(Path log, String... extra) throws IOException {
        // the lab's jobs run as the unprivileged demo user, who must reach the lab folder
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> cmd = new ArrayList<>(List.of(LabLauncher.javaBin(), "-cp", System.getProperty("java.class.path"),
                "io.gpucolo.cli.Main", "demo", "--lab", tmp.resolve("lab").toString(), "--out",
                tmp.resolve("report").toString(), "--lock-file", tmp.resolve("demo.lock").toString(),
                "--slurm-ports", CTLD_PORT + "," + SLURMD_PORT));
        String root = System.getProperty("gpucolo.root");
        if (root != null) {
            cmd.addAll(List.of("--root", root));
        }
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(p);
        return p;
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private static void awaitOutput(Process p, Path log, String needle, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!read(log).contains(needle)) {
            assertTrue(p.isAlive(), "demo exited before printing '" + needle + "':\n" + read(log));
            assertTrue(System.nanoTime() < deadline, "no '" + needle + "' within " + timeout + ":\n" + read(log));
            Thread.sleep(200);
        }
    }

    private void assumeLiveLabPossible() {
        assumeTrue("0".equals(uid()), "the live demo needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/slurmctld")),
                "Slurm is not installed (bash .ci/run installs it: etc/lab/install.sh)");
        assumeTrue(LabProcesses.portFree(CTLD_PORT) && LabProcesses.portFree(SLURMD_PORT),
                "ports " + CTLD_PORT + "/" + SLURMD_PORT + " are taken by another program");
    }

    private static String uid() {
        try {
            return Files.getAttribute(Path.of("/proc/self"), "unix:uid").toString();
        } catch (IOException e) {
            return "?";
        }
    }

    @Test
    void aSecondDemoIsRefusedWhileOneRuns() throws Exception {
        try (RunLock held = RunLock.tryAcquire(tmp.resolve("demo.lock")).orElseThrow()) {
            Path log = tmp.resolve("second.log");
            Process p = demo(log, "--offline");
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "refusal is immediate");
            assertEquals(1, p.exitValue(), read(log));
            assertTrue(read(log).contains("another demo is already running (pid " + ProcessHandle.current().pid()),
                    read(log));
        }
    }

    @Test
    void offlineEvaluationRunsWhereTheLiveLabCannot() throws Exception {
        Path log = tmp.resolve("offline.log");
        Process p = demo(log, "--offline");
        assertTrue(p.waitFor(280, TimeUnit.SECONDS), "the offline demo ends within 5 minutes:\n" + read(log));
        String out = read(log);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("not running the live lab: --offline given"), out);
        assertTrue(out.contains("headroom"), "the summary lists our policy:\n" + out);
        assertTrue(WALL.matcher(out).find(), out);
        assertTrue(Files.size(tmp.resolve("report/report.html")) > 1000);
        assertTrue(Files.readString(tmp.resolve("report/summary.csv")).lines().count() > 2);
        assertEquals(List.of(), new LabProcesses().ofLab(tmp.resolve("lab")), "the offline path starts no lab");
    }

    @Test
    void liveDemoRecoversAStaleLabPlacesTrainingHoldsTheSloAndLeavesNothing() throws Exception {
        assumeLiveLabPossible();
        Path lab = tmp.resolve("lab");
        // 1. a demo killed with SIGKILL once Slurm is up leaves a stale lab behind
        Path killedLog = tmp.resolve("killed.log");
        Process killed = demo(killedLog, "--quick");
        awaitOutput(killed, killedLog, "start the emulated GPU, admitd and noded", Duration.ofSeconds(180));
        killed.destroyForcibly();
        assertTrue(killed.waitFor(10, TimeUnit.SECONDS));
        assertTrue(!new LabProcesses().ofLab(lab).isEmpty(), "SIGKILL left the lab running");

        // 2. the next demo tears the stale lab down, then runs the whole path
        Path log = tmp.resolve("demo.log");
        Process p = demo(log, "--quick");
        assertTrue(p.waitFor(290, TimeUnit.SECONDS), "the quick demo ends within 5 minutes:\n" + read(log));
        String out = read(log);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("left by an earlier run"), "stale lab detected:\n" + out);
        assertTrue(out.contains("the GPU admitd chose"), "a training job runs on the GPU admitd chose:\n" + out);
        assertTrue(!out.contains("NOT the GPU admitd chose"), out);
        Matcher v = VIOLATIONS.matcher(out);
        assertTrue(v.find(), out);
        double pct = Double.parseDouble(v.group(1));
        assertTrue(pct <= VIOLATION_BOUND_PCT, String.format(Locale.ROOT, "burst violations %.2f %% > %.1f %%:%n%s",
                pct, VIOLATION_BOUND_PCT, out));
        Matcher w = WALL.matcher(out);
        assertTrue(w.find() && Double.parseDouble(w.group(1)) < 300, out);
        assertTrue(out.contains("nothing of this run is left running"), out);
        assertEquals(List.of(), new LabProcesses().ofLab(lab), "no process of the lab is left");
        assertTrue(Files.size(tmp.resolve("report/report.html")) > 1000);
        assertTrue(Files.size(tmp.resolve("report/latency.png")) > 1000);
    }

    @Test
    void ctrlCStopsWhatTheDemoStartedAndSaysSo() throws Exception {
        assumeLiveLabPossible();
        Path log = tmp.resolve("sigint.log");
        Process p = demo(log, "--quick");
        awaitOutput(p, log, "submit two inference services", Duration.ofSeconds(200));
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the demo stops after SIGINT:\n" + read(log));
        String out = read(log);
        assertTrue(out.contains("interrupted; stopping what it started"), out);
        assertTrue(out.contains("nothing of this run is left running (interrupted)"), out);
        assertEquals(List.of(), new LabProcesses().ofLab(tmp.resolve("lab")), "no process of the lab is left");
    }
}
