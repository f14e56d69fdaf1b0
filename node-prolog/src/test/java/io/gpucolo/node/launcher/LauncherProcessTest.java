package io.gpucolo.node.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpucolo.node.emu.JavaProcs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gpucolo run as a real process around a real shell child, driven over its socket and by real signals. */
class LauncherProcessTest {
    @TempDir
    Path dir;
    Process run;

    @AfterEach
    void stop() throws Exception {
        JavaProcs.destroy(run);
    }

    private Path sock() {
        return dir.resolve("l/launcher.sock");
    }

    /** A child that logs its share, checkpoints on USR1 (exit 0), exits 7 on TERM. */
    private static final String CHILD = "echo share=$CUDA_MPS_ACTIVE_THREAD_PERCENTAGE sleepfile=$GPUCOLO_SLEEP_FILE;"
            + " trap 'echo checkpoint; exit 0' USR1; trap 'echo term; exit 7' TERM;"
            + " while true; do sleep 0.05; done";

    private Process start(String child, String... opts) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("run", "--socket", sock().toString(), "--grace-s", "5",
                "--kill-after-s", "1"));
        args.addAll(List.of(opts));
        args.addAll(List.of("--", "/bin/sh", "-c", child));
        Process p = JavaProcs.start(RunMain.class, Map.of("CUDA_MPS_ACTIVE_THREAD_PERCENTAGE", "60"), dir.resolve("run.log"),
                args.toArray(String[]::new));
        assertTrue(JavaProcs.await(() -> JavaProcs.read(dir.resolve("run.log")).contains("share=60"), 20_000),
                JavaProcs.read(dir.resolve("run.log")));
        return p;
    }

    @Test
    void shareRequestCheckpointsAndRestartsWithTheNewShare() throws Exception {
        run = start(CHILD);
        LauncherClient client = new LauncherClient(sock(), Duration.ofSeconds(20));
        long first = client.pids().get(0);
        long second = client.share(40);
        assertNotEquals(first, second);
        assertTrue(JavaProcs.await(() -> JavaProcs.read(dir.resolve("run.log")).contains("share=40"), 10_000));
        String log = JavaProcs.read(dir.resolve("run.log"));
        assertTrue(log.indexOf("checkpoint") < log.indexOf("share=40"), log);
        assertEquals(second, client.pids().get(0));
        assertTrue(client.status().startsWith("share=40 pid=" + second + " restarts=1"), client.status());

        client.sleep(250);
        Path sleepFile = dir.resolve("l/launcher.sock.sleep");
        assertEquals("250", Files.readString(sleepFile).trim());
        assertTrue(log.contains("sleepfile=" + sleepFile), log);
        IOException bad = assertThrows(IOException.class, () -> client.share(0));
        assertTrue(bad.getMessage().contains("share must be 1..100"), bad.getMessage());

        JavaProcs.signal(run.pid(), "TERM");
        assertTrue(run.waitFor(10, TimeUnit.SECONDS));
        assertEquals(7, run.exitValue(), "exit code of the child, which got the forwarded SIGTERM");
    }

    @Test
    void aStoppedChildIsResumedBeforeItIsAskedToCheckpoint() throws Exception {
        run = start(CHILD);
        LauncherClient client = new LauncherClient(sock(), Duration.ofSeconds(20));
        long first = client.pids().get(0);
        JavaProcs.signal(first, "STOP");
        assertTrue(JavaProcs.await(() -> JavaProcs.state(first) == 'T', 2_000));
        long second = client.share(20);
        assertTrue(JavaProcs.read(dir.resolve("run.log")).contains("checkpoint"), "checkpointed, not killed");
        assertNotEquals(first, second);
    }

    @Test
    void aChildIgnoringTermIsKilledAfterTheTimeout() throws Exception {
        run = start("echo share=$CUDA_MPS_ACTIVE_THREAD_PERCENTAGE; trap '' TERM; while true; do sleep 0.05; done");
        long t0 = System.nanoTime();
        JavaProcs.signal(run.pid(), "TERM");
        assertTrue(run.waitFor(15, TimeUnit.SECONDS));
        double s = (System.nanoTime() - t0) / 1e9;
        assertEquals(137, run.exitValue(), JavaProcs.read(dir.resolve("run.log")));
        assertTrue(s >= 1.0, "waited the kill-after timeout: " + s);
        assertTrue(JavaProcs.read(dir.resolve("run.log")).contains("ignores SIGTERM; sending SIGKILL"));
    }

    @Test
    void exitsWithTheChildsCodeAndRemovesItsSocket() throws Exception {
        run = start("echo share=$CUDA_MPS_ACTIVE_THREAD_PERCENTAGE; sleep 0.5; exit 3");
        assertTrue(run.waitFor(15, TimeUnit.SECONDS));
        assertEquals(3, run.exitValue());
        assertTrue(!Files.exists(sock()));
    }

    @Test
    void badArgumentsExitTwo() throws Exception {
        JavaProcs.Result r = JavaProcs.run(RunMain.class, Map.of(), "", "run", "--share", "0", "--socket",
                sock().toString(), "--", "/bin/true");
        assertEquals(2, r.rc(), r.output());
        assertEquals("gpucolo run: --share must be 1..100, got 0", r.output().trim());
    }
}
