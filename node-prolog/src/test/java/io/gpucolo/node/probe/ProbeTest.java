package io.gpucolo.node.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpucolo.admission.latency.LatencyProfile;
import io.gpucolo.admission.latency.ProfileFormat;
import io.gpucolo.admission.latency.ProfileRow;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeTest {
    @TempDir
    Path dir;

    private static boolean gpuPresent() {
        return CudaDriver.unavailable(System.getenv()).isEmpty();
    }

    private record Run(int rc, String output) {
    }

    private Run probe(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Xlog:class+load=info:file=" + dir.resolve("classes.log"),
                "-cp", System.getProperty("java.class.path"), ProbeMain.class.getName(), "probe"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out);
    }

    @Test
    void withoutAGpuOneLineExitThreeAndNoJcudaClassLoaded() throws Exception {
        Assumptions.assumeFalse(gpuPresent(), "this machine has an NVIDIA driver; the no-GPU path cannot be observed here");
        Run r = probe();
        assertEquals(3, r.rc(), r.output());
        assertEquals(1, r.output().strip().lines().count(), r.output());
        assertTrue(r.output().startsWith("gpucolo probe: no NVIDIA driver: libcuda.so.1 not found"), r.output());
        String classes = Files.readString(dir.resolve("classes.log"));
        assertFalse(classes.contains(" jcuda."), "a jcuda class was loaded before the driver check");
        Run prof = probe("--profile", "--out", dir.resolve("p.profile").toString());
        assertEquals(3, prof.rc(), prof.output());
        assertFalse(Files.exists(dir.resolve("p.profile")));
    }

    @Test
    void badGridOptionsExitTwoBeforeTouchingTheGpu() throws Exception {
        Run r = probe("--training", "50:2");
        assertEquals(2, r.rc(), r.output());
        assertTrue(r.output().contains("'50:2' is not SHARE:DUTY"), r.output());
        Run r2 = probe("--profile");
        assertEquals(2, r2.rc(), r2.output());
        assertTrue(r2.output().contains("--profile needs --out FILE"), r2.output());
    }

    @Test
    void onAGpuProbeListsItsGpus() throws Exception {
        Assumptions.assumeTrue(gpuPresent(), "no NVIDIA driver on this machine (libcuda.so.1 absent): GPU-only test");
        Run r = probe("--node", "n1");
        assertEquals(0, r.rc(), r.output());
        assertTrue(r.output().contains("  - name: n1") && r.output().contains("sm_count: "), r.output());
    }

    @Test
    void standInsAskedForCudaWithoutADriverSayWhyInOneLine() throws Exception {
        Assumptions.assumeFalse(gpuPresent(), "this machine has an NVIDIA driver");
        io.gpucolo.node.emu.JavaProcs.Result r = io.gpucolo.node.emu.JavaProcs.run(io.gpucolo.node.emu.EmuMain.class,
                java.util.Map.of("GPUCOLO_GPU_BACKEND", "cuda"), "", "emu-train", "--iterations", "1");
        assertEquals(1, r.rc(), r.output());
        assertEquals("gpucolo emu-train: GPUCOLO_GPU_BACKEND=cuda but no NVIDIA driver: libcuda.so.1 not found",
                r.output().strip().replaceAll(" \\(searched.*", ""));
    }

    @Test
    void onAGpuTheTrainingStandInRunsRealKernels() throws Exception {
        Assumptions.assumeTrue(gpuPresent(), "no NVIDIA driver on this machine (libcuda.so.1 absent): GPU-only test");
        io.gpucolo.node.emu.JavaProcs.Result r = io.gpucolo.node.emu.JavaProcs.run(io.gpucolo.node.emu.EmuMain.class,
                java.util.Map.of("GPUCOLO_GPU_BACKEND", "cuda"), "", "emu-train", "--iterations", "3", "--iteration-ms", "50");
        assertEquals(0, r.rc(), r.output());
        assertTrue(r.output().contains("progress iterations=3 "), r.output());
    }

    private Path worker(String body) throws IOException {
        Path p = dir.resolve("worker.sh");
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        p.toFile().setExecutable(true);
        return p;
    }

    @Test
    void gridRowsComeFromTheWorkersAndTheProfileRoundTrips() throws Exception {
        // a stand-in worker: the latency grows as the share shrinks (its share arrives as in MPS, by environment)
        Path w = worker("case \"$*\" in *train*) echo training load running; exec sleep 60;; esac\n"
                + "echo \"result mean_ms=$((200 / CUDA_MPS_ACTIVE_THREAD_PERCENTAGE)).5 p99_ms=9.25\"");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ProfileRunner runner = new ProfileRunner(List.of(w.toString()), 0, 64, 10, new PrintStream(log, true, StandardCharsets.UTF_8));
        List<ProfileRow> rows = runner.measure(new ProfileGrid(List.of(100, 50), List.of(1, 4),
                ProfileGrid.training("0:0,50:0.5")));
        assertEquals(8, rows.size());
        assertEquals(new ProfileRow(50, 4, 1, 50, 0.5, 4.5, 9.25), rows.get(7));
        assertEquals(new ProfileRow(100, 1, 1, 0, 0, 2.5, 9.25), rows.get(0));
        Path out = dir.resolve("gpu.profile");
        ProfileRunner.write(out, "NVIDIA-H100-80GB-HBM3", "gemm512", rows);
        LatencyProfile back = ProfileFormat.read(out);
        assertEquals(rows, back.rows());
        assertEquals("NVIDIA-H100-80GB-HBM3", back.gpuModel());
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.toString().endsWith(".partial")));
        }
    }

    @Test
    void theLatencyModelFitsItsInterferenceFromAProbeProfile() throws Exception {
        // stand-in workers with a known law: mean = (1 + 0.5 b) * 100/p * (1 + 0.6 d T/100)
        Path training = dir.resolve("training");
        Path w = worker("case \"$*\" in *train*) d=$(echo \"$*\" | sed 's/.*--duty \\([^ ]*\\).*/\\1/');"
                + " echo \"$CUDA_MPS_ACTIVE_THREAD_PERCENTAGE $d\" > " + training + "; echo training load running; exec sleep 60;; esac\n"
                + "b=$(echo \"$*\" | sed 's/.*--batch \\([^ ]*\\).*/\\1/')\n"
                + "if [ -f " + training + " ]; then read t d < " + training + "; else t=0; d=0; fi\n"
                + "awk -v b=$b -v p=$CUDA_MPS_ACTIVE_THREAD_PERCENTAGE -v t=$t -v d=$d "
                + "'BEGIN { m = (1 + 0.5 * b) * 100 / p * (1 + 0.6 * d * t / 100); printf \"result mean_ms=%.6f p99_ms=%.6f\\n\", m, 1.2 * m }'");
        ProfileRunner runner = new ProfileRunner(List.of(w.toString()), 0, 64, 10,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        List<ProfileRow> rows = runner.measure(new ProfileGrid(List.of(100, 50), List.of(1, 4, 16),
                ProfileGrid.training("0:0,50:1,100:0.5")));
        ProfileRow r = rows.get(10); // training 50:1, share 50, batch 4
        assertEquals(List.of(50.0, 4.0, 50.0, 1.0), List.of(r.inferenceSharePct(), (double) r.batch(), r.trainingSharePct(),
                r.trainingDuty()));
        assertEquals(3 * 2 * 1.3, r.meanLatencyMs(), 1e-9);
        Path out = dir.resolve("fit.profile");
        ProfileRunner.write(out, "A100-80GB", "gemm512", rows);
        io.gpucolo.admission.latency.CalibratedLatencyModel m =
                io.gpucolo.admission.latency.CalibratedLatencyModel.of(List.of(ProfileFormat.read(out)));
        assertEquals(0.6, m.interferenceCoefficient("gemm512", "A100-80GB"), 1e-6);
    }

    @Test
    void aGpuErrorMidProfileStopsAndWritesNothing() throws Exception {
        Path marker = dir.resolve("calls");
        Path w = worker("echo x >> " + marker + "\n"
                + "if [ $(wc -l < " + marker + ") -ge 3 ]; then echo 'CUDA_ERROR_LAUNCH_FAILED: unspecified launch failure'; exit 1; fi\n"
                + "echo 'result mean_ms=1.0 p99_ms=2.0'");
        ProfileRunner runner = new ProfileRunner(List.of(w.toString()), 0, 64, 10, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        IOException e = assertThrows(IOException.class, () -> runner.measure(new ProfileGrid(List.of(100, 50), List.of(1, 4),
                ProfileGrid.training("0:0"))));
        assertTrue(e.getMessage().contains("share 50 batch 1: worker failed (exit 1): CUDA_ERROR_LAUNCH_FAILED"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("gpu.profile")));
    }

    @Test
    void anImpossibleMeasurementIsRefusedByTheProfileFormatAndNothingIsWritten() {
        List<ProfileRow> rows = List.of(new ProfileRow(100, 1, 1, 0, 0, 1.0, 2.0));
        Path out = dir.resolve("bad.profile");
        assertThrows(IllegalArgumentException.class, () -> ProfileRunner.write(out, "bad name with spaces", "gemm", rows));
        assertFalse(Files.exists(out));
    }
}
