package io.gpucolo.node.emu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The emulated GPU daemon and the training stand-in as real processes, with real signals. */
class EmuGpuProcessTest {
    @TempDir
    Path dir;
    Path socket;
    Process gpu;
    Process train;

    @BeforeEach
    void startGpu() throws Exception {
        socket = dir.resolve("gpu.sock");
        gpu = JavaProcs.start(EmuMain.class, Map.of(), dir.resolve("gpu.log"), "emu-gpu", "--socket", socket.toString());
        assertTrue(JavaProcs.await(() -> JavaProcs.read(dir.resolve("gpu.log")).contains("listening"), 20_000),
                JavaProcs.read(dir.resolve("gpu.log")));
    }

    @AfterEach
    void stop() throws Exception {
        if (train != null && train.isAlive()) {
            JavaProcs.signal(train.pid(), "CONT");
        }
        JavaProcs.destroy(train);
        JavaProcs.destroy(gpu);
    }

    private Map<String, String> env(int cap) {
        return Map.of("GPUCOLO_EMU_GPU_SOCKET", socket.toString(), "CUDA_MPS_ACTIVE_THREAD_PERCENTAGE", Integer.toString(cap));
    }

    private String clientLine(String kind) throws Exception {
        for (String l : EmuGpuClient.queryStatus(socket)) {
            if (l.startsWith("client ") && l.contains("kind=" + kind)) {
                return l;
            }
        }
        return "";
    }

    @Test
    void capFromTheEnvironmentSetsTheInterferenceExactlyAsTheModelSays() throws Exception {
        // one long kernel: 100 s of work, so it is running for the whole measurement
        train = JavaProcs.start(EmuMain.class, env(20), dir.resolve("train.log"), "emu-train", "--iteration-ms", "100000",
                "--kernels", "1", "--iterations", "1");
        assertTrue(JavaProcs.await(() -> JavaProcs.read(dir.resolve("train.log")).contains("attached cap=20"), 20_000),
                JavaProcs.read(dir.resolve("train.log")));
        assertTrue(JavaProcs.await(() -> {
            try {
                return clientLine("train").contains("queued=1");
            } catch (Exception e) {
                return false;
            }
        }, 5_000));
        try (EmuGpuClient c = EmuGpuClient.connect(socket, new EmuGpuClient.Hello(0, ClientKind.INFER,
                ProcessHandle.current().pid(), 100, 1024, "resnet50", 8, "mps:default"))) {
            EmuGpuClient.Done d = c.submitBatch(8).get();
            // the daemon's default: calibrated model, GPU RTX3090; expected = solo time x the model's slowdown
            ContentionLaw law = new ContentionLaw(EmuModels.latencyModel(List.of()), "RTX3090");
            double solo = law.soloBatchMs("resnet50", 8);
            double slowdown = law.inferenceSlowdown(new ContentionLaw.Active(ClientKind.INFER, "mps:default", 100,
                    "resnet50", 8), 0, 20);
            assertTrue(slowdown > 1.01, "training at 20% must slow inference: " + slowdown);
            assertEquals(solo * slowdown, d.runMs(), 1e-5);
            assertEquals(solo * slowdown, d.latencyMs(), 1e-5);
        }
        assertTrue(clientLine("train").contains("cap=20"), clientLine("train"));
    }

    @Test
    void queuedKernelsDrainWhileTheClientIsStopped() throws Exception {
        // 10 kernels of 100 ms queued at once, then the process waits for the last one
        train = JavaProcs.start(EmuMain.class, env(100), dir.resolve("train.log"), "emu-train", "--iteration-ms", "1000",
                "--kernels", "10", "--iterations", "1");
        assertTrue(JavaProcs.await(() -> {
            try {
                return clientLine("train").contains("queued=10") || clientLine("train").contains("queued=9");
            } catch (Exception e) {
                return false;
            }
        }, 20_000));
        JavaProcs.signal(train.pid(), "STOP");
        assertTrue(JavaProcs.await(() -> JavaProcs.state(train.pid()) == 'T', 2_000));
        assertTrue(JavaProcs.await(() -> {
            try {
                return clientLine("train").contains("queued=0 completed=10");
            } catch (Exception e) {
                return false;
            }
        }, 5_000), "queue did not drain: " + clientLine("train"));
        assertEquals('T', JavaProcs.state(train.pid()), "the client stayed stopped while its work drained");
        JavaProcs.signal(train.pid(), "CONT");
        assertTrue(train.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, train.exitValue());
        assertTrue(JavaProcs.read(dir.resolve("train.log")).contains("progress iterations=1 "));
    }

    @Test
    void aClientOverItsPinnedMemoryLimitIsRefused() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(env(100));
        env.put("CUDA_MPS_PINNED_DEVICE_MEM_LIMIT", "0=1G");
        train = JavaProcs.start(EmuMain.class, env, dir.resolve("train.log"), "emu-train", "--memory-mib", "4096");
        assertTrue(train.waitFor(20, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(1, train.exitValue());
        String log = JavaProcs.read(dir.resolve("train.log"));
        assertTrue(log.contains("out of memory") && log.contains("1024 MiB") && !log.contains("\tat "), log);
        List<String> status = EmuGpuClient.queryStatus(socket);
        assertTrue(status.stream().noneMatch(l -> l.startsWith("client ")), status.toString());
        assertTrue(Files.exists(socket));
    }
}
