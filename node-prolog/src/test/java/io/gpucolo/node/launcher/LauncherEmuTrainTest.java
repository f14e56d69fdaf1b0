package io.gpucolo.node.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpucolo.node.emu.EmuGpuClient;
import io.gpucolo.node.emu.EmuMain;
import io.gpucolo.node.emu.JavaProcs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher around the training stand-in on the emulated GPU: checkpoint, restart at the new cap, resume. */
class LauncherEmuTrainTest {
    @TempDir
    Path dir;
    Process gpu;
    Process run;

    @AfterEach
    void stop() throws Exception {
        JavaProcs.destroy(run);
        JavaProcs.destroy(gpu);
    }

    @Test
    void aShareChangeCheckpointsTheTrainingAndItResumesAtTheNewCap() throws Exception {
        Path socket = dir.resolve("gpu.sock");
        gpu = JavaProcs.start(EmuMain.class, Map.of(), dir.resolve("gpu.log"), "emu-gpu", "--socket", socket.toString());
        assertTrue(JavaProcs.await(() -> JavaProcs.read(dir.resolve("gpu.log")).contains("listening"), 20_000));
        Path sock = dir.resolve("launcher.sock");
        Path ckpt = dir.resolve("ckpt");
        String java = System.getProperty("java.home") + "/bin/java";
        run = JavaProcs.start(RunMain.class, Map.of("GPUCOLO_EMU_GPU_SOCKET", socket.toString()), dir.resolve("run.log"),
                "run", "--share", "60", "--socket", sock.toString(), "--grace-s", "20", "--", java, "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), EmuMain.class.getName(), "emu-train",
                "--iteration-ms", "100", "--checkpoint", ckpt.toString());
        Path log = dir.resolve("run.log");
        assertTrue(JavaProcs.await(() -> JavaProcs.read(log).contains("progress iterations=3 "), 30_000), JavaProcs.read(log));
        assertTrue(JavaProcs.read(log).contains("attached cap=60 start_iteration=0"));

        LauncherClient client = new LauncherClient(sock, Duration.ofSeconds(60));
        client.sleep(50);
        long pid = client.share(25);
        long saved = Long.parseLong(Files.readString(ckpt).trim());
        assertTrue(saved >= 3, "checkpoint holds the iterations done: " + saved);
        assertTrue(JavaProcs.await(() -> JavaProcs.read(log).contains("attached cap=25 start_iteration=" + saved), 30_000),
                JavaProcs.read(log));
        assertTrue(JavaProcs.await(() -> {
            try {
                return EmuGpuClient.queryStatus(socket).stream().anyMatch(l -> l.contains("pid=" + pid) && l.contains("cap=25"));
            } catch (Exception e) {
                return false;
            }
        }, 10_000));
        Matcher m = Pattern.compile("progress iterations=(\\d+) ").matcher(JavaProcs.read(log));
        long last = 0;
        while (m.find()) {
            last = Long.parseLong(m.group(1));
        }
        final long before = last;
        assertTrue(JavaProcs.await(() -> JavaProcs.read(log).contains("progress iterations=" + (before + 1) + " "), 30_000),
                "training goes on after the restart, counting from the checkpoint");
        JavaProcs.signal(run.pid(), "TERM");
        assertTrue(run.waitFor(20, TimeUnit.SECONDS));
        assertEquals(143, run.exitValue(), "emu-train ends on SIGTERM like a JVM does (128 + 15)");
    }
}
