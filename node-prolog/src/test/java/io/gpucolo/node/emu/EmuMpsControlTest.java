package io.gpucolo.node.emu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stand-in nvidia-cuda-mps-control: a real daemon process, real commands on stdin, effects on the emulated GPU. */
class EmuMpsControlTest {
    @TempDir
    Path dir;
    Path pipe;
    Path socket;
    Process gpu;
    Process train;

    @BeforeEach
    void start() throws Exception {
        pipe = dir.resolve("pipe");
        socket = dir.resolve("gpu.sock");
        gpu = JavaProcs.start(EmuMain.class, Map.of(), dir.resolve("gpu.log"), "emu-gpu", "--socket", socket.toString());
        JavaProcs.Result d = JavaProcs.run(EmuMain.class, mpsEnv(), "", "emu-mps-control", "-d");
        assertEquals(0, d.rc(), d.output());
        assertTrue(JavaProcs.await(() -> JavaProcs.read(dir.resolve("gpu.log")).contains("listening"), 20_000));
    }

    @AfterEach
    void stop() throws Exception {
        JavaProcs.destroy(train);
        JavaProcs.run(EmuMain.class, mpsEnv(), "quit\n", "emu-mps-control"); // may already be gone
        JavaProcs.destroy(gpu);
    }

    private Map<String, String> mpsEnv() {
        return Map.of("CUDA_MPS_PIPE_DIRECTORY", pipe.toString(), "CUDA_MPS_LOG_DIRECTORY", dir.resolve("log").toString(),
                "GPUCOLO_EMU_GPU_SOCKET", socket.toString());
    }

    private String ctl(String commands) throws Exception {
        JavaProcs.Result r = JavaProcs.run(EmuMain.class, mpsEnv(), commands + "\n", "emu-mps-control");
        assertEquals(0, r.rc(), r.output());
        return r.output().trim();
    }

    private Process startTrain(String name, String... extra) throws Exception {
        Map<String, String> env = new HashMap<>(mpsEnv());
        String[] args = new String[extra.length + 3];
        args[0] = "emu-train";
        args[1] = "--iteration-ms";
        args[2] = "50";
        System.arraycopy(extra, 0, args, 3, extra.length);
        return JavaProcs.start(EmuMain.class, env, dir.resolve(name), args);
    }

    @Test
    void commandsHaveObservableEffectsOnTheEmulatedGpu() throws Exception {
        JavaProcs.Result again = JavaProcs.run(EmuMain.class, mpsEnv(), "", "emu-mps-control", "-d");
        assertEquals(1, again.rc());
        assertTrue(again.output().contains("already running"), again.output());

        assertEquals("", ctl("get_server_list"));
        assertEquals("40", ctl("set_default_active_thread_percentage 40"));
        long uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        assertEquals("", ctl("start_server -uid " + uid));
        String server = ctl("get_server_list");
        assertEquals(Long.toString(MpsState.FIRST_SERVER_PID), server);

        train = startTrain("train.log");
        assertTrue(JavaProcs.await(() -> JavaProcs.read(dir.resolve("train.log")).contains("attached cap=40"), 20_000),
                JavaProcs.read(dir.resolve("train.log")));
        assertEquals(Long.toString(train.pid()), ctl("get_client_list " + server));
        assertTrue(EmuGpuClient.queryStatus(socket).stream()
                .anyMatch(l -> l.contains("pid=" + train.pid()) && l.contains("context=mps:" + server) && l.contains("cap=40")));

        // a new percentage applies to clients created afterwards only
        assertEquals("25", ctl("set_active_thread_percentage " + server + " 25"));
        Process second = startTrain("train2.log");
        try {
            assertTrue(JavaProcs.await(() -> JavaProcs.read(dir.resolve("train2.log")).contains("attached cap=25"), 20_000));
            assertTrue(EmuGpuClient.queryStatus(socket).stream()
                    .anyMatch(l -> l.contains("pid=" + train.pid()) && l.contains("cap=40")));
        } finally {
            JavaProcs.destroy(second);
        }

        // pinned memory limit: a client asking for more is refused
        assertEquals("", ctl("set_device_pinned_mem_limit " + server + " 0 1G"));
        assertEquals("1024M", ctl("get_device_pinned_mem_limit " + server + " 0"));
        Process big = startTrain("big.log", "--memory-mib", "2048");
        assertTrue(big.waitFor(20, TimeUnit.SECONDS));
        assertEquals(1, big.exitValue());
        assertTrue(JavaProcs.read(dir.resolve("big.log")).contains("pinned limit 1024 MiB"));

        // terminate_client ends the client as a CUDA error would
        ctl("terminate_client " + server + " " + train.pid());
        assertTrue(train.waitFor(10, TimeUnit.SECONDS));
        assertEquals(1, train.exitValue());
        assertTrue(JavaProcs.read(dir.resolve("train.log")).contains("terminated by the MPS control daemon"));

        assertTrue(ctl("bogus_command").startsWith("Error: unknown command"));
        assertTrue(ctl("set_active_thread_percentage 42 10").contains("no MPS server with pid 42"));

        ctl("quit");
        assertTrue(JavaProcs.await(() -> !Files.exists(pipe.resolve(MpsGrant.CONTROL_SOCKET)), 10_000));
        JavaProcs.Result gone = JavaProcs.run(EmuMain.class, mpsEnv(), "get_server_list\n", "emu-mps-control");
        assertEquals(1, gone.rc());
        assertTrue(gone.output().contains("Cannot find MPS control daemon"));
        assertTrue(JavaProcs.read(dir.resolve("log").resolve("control.log")).contains("Command: terminate_client"));
    }

    @Test
    void anotherUsersClientWaitsUntilTheActiveServerHasNoClients() throws Exception {
        train = startTrain("train.log");
        assertTrue(JavaProcs.await(() -> JavaProcs.read(dir.resolve("train.log")).contains("attached"), 20_000));
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(pipe.resolve(MpsGrant.CONTROL_SOCKET)));
            ch.write(ByteBuffer.wrap("CLIENT pid=77 uid=4242 cap=100 mem=0 gpu=0\n".getBytes(StandardCharsets.UTF_8)));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            CompletableFuture<String> reply = CompletableFuture.supplyAsync(() -> {
                try {
                    return in.readLine();
                } catch (Exception e) {
                    return "failed " + e;
                }
            });
            Thread.sleep(500);
            assertFalse(reply.isDone(), "user 4242 must wait while another user's server has clients");
            JavaProcs.destroy(train);
            String granted = reply.get(10, TimeUnit.SECONDS);
            assertEquals("GRANT server=" + (MpsState.FIRST_SERVER_PID + 1) + " cap=100 mem_limit=0 gpu=0", granted);
            assertEquals(Long.toString(MpsState.FIRST_SERVER_PID + 1), ctl("get_server_list"));
        }
    }
}
