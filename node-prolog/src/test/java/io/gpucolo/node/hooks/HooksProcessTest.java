package io.gpucolo.node.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpucolo.node.emu.EmuMain;
import io.gpucolo.node.emu.EmuGpuClient;
import io.gpucolo.node.emu.JavaProcs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hooks as Slurm runs them: real processes with Slurm's variables, the stand-in nvidia-cuda-mps-control at an
 * absolute path, a recording stand-in scontrol, real signals; the emulated GPU shows the effect on a client.
 */
class HooksProcessTest {
    @TempDir
    Path dir;
    Path state;
    Path conf;
    Path scontrolLog;
    Process gpu;
    Process victim;
    Process client;

    private static String java() {
        return System.getProperty("java.home") + "/bin/java";
    }

    private Path script(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @BeforeEach
    void setUp() throws Exception {
        state = dir.resolve("state");
        scontrolLog = dir.resolve("scontrol.log");
        Path mps = script("nvidia-cuda-mps-control", "exec " + java() + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "
                + System.getProperty("java.class.path") + " " + EmuMain.class.getName() + " emu-mps-control \"$@\"");
        Path scontrol = script("scontrol", "echo \"$@\" >> " + scontrolLog + "\nexit 0");
        conf = dir.resolve("node.conf");
        Files.writeString(conf, String.join("\n",
                "mps_control = " + mps, "scontrol = " + scontrol, "state_dir = " + state,
                "mps_pipe_root = " + dir.resolve("mps"), "mps_log_root = " + dir.resolve("mpslog"),
                "noded_socket = " + dir.resolve("no-noded.sock"), "policy = " + dir.resolve("none.yaml"), ""));
        Files.createDirectories(state.resolve("decisions"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (victim != null && victim.isAlive()) {
            JavaProcs.signal(victim.pid(), "CONT");
        }
        JavaProcs.destroy(victim);
        JavaProcs.destroy(client);
        for (int g = 0; g < 4; g++) {
            Path pipe = dir.resolve("mps").resolve("g" + g);
            if (Files.exists(pipe.resolve("control.sock"))) {
                JavaProcs.run(EmuMain.class, Map.of("CUDA_MPS_PIPE_DIRECTORY", pipe.toString()), "quit\n", "emu-mps-control");
            }
        }
        JavaProcs.destroy(gpu);
    }

    private Map<String, String> slurmEnv(String job, String uid) {
        Map<String, String> m = new HashMap<>(Map.of("SLURM_JOB_ID", job, "SLURM_JOB_UID", uid, "SLURM_JOB_USER", "u" + uid,
                "SLURMD_NODENAME", "vm", "SLURM_JOB_GPUS", "2", "CUDA_VISIBLE_DEVICES", "2"));
        return m;
    }

    private JavaProcs.Result hook(String hook, Map<String, String> env) throws Exception {
        return JavaProcs.run(HooksMain.class, env, "", hook, "--config", conf.toString());
    }

    private void decide(String job, String adminComment) throws Exception {
        Files.writeString(state.resolve("decisions").resolve(job), adminComment + "\n");
    }

    private static Map<String, String> exports(String taskPrologOutput) {
        Map<String, String> m = new HashMap<>();
        for (String l : taskPrologOutput.split("\n")) {
            if (l.startsWith("export ")) {
                int eq = l.indexOf('=');
                m.put(l.substring(7, eq), l.substring(eq + 1));
            }
        }
        return m;
    }

    @Test
    void prologStartsMpsTaskPrologExportsTheShareEpilogResumesAndQuits() throws Exception {
        long uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        decide("101", "gpucolo:train id=d1 gpu=vm:g2 share=30 mem=2048");
        JavaProcs.Result p = hook("prolog", slurmEnv("101", Long.toString(uid)));
        assertEquals(0, p.rc(), p.output());
        assertTrue(p.output().contains("started the MPS control daemon of GPU 2"), p.output());
        assertTrue(p.output().contains("noded") && p.output().contains("unthrottled"), p.output());
        Path pid = dir.resolve("mps/g2/nvidia-cuda-mps-control.pid");
        assertTrue(Files.exists(pid));
        String daemonPid = Files.readString(pid).trim();

        JavaProcs.Result again = hook("prolog", slurmEnv("101", Long.toString(uid)));
        assertEquals(0, again.rc(), again.output());
        assertFalse(again.output().contains("started the MPS"), "idempotent: the daemon is not started twice");
        assertEquals(daemonPid, Files.readString(pid).trim());
        assertEquals(List.of("101"), List.of(dir.resolve("state/gpus/g2").toFile().list()));

        Map<String, String> tenv = new HashMap<>(Map.of("SLURM_JOB_ID", "101"));
        JavaProcs.Result tp = hook("taskprolog", tenv);
        assertEquals(0, tp.rc(), tp.output());
        Map<String, String> ex = exports(tp.output());
        assertEquals("30", ex.get("CUDA_MPS_ACTIVE_THREAD_PERCENTAGE"));
        assertEquals(dir.resolve("mps/g2").toString(), ex.get("CUDA_MPS_PIPE_DIRECTORY"));
        assertEquals("0=2048M", ex.get("CUDA_MPS_PINNED_DEVICE_MEM_LIMIT"));
        assertEquals("0", ex.get("CUDA_VISIBLE_DEVICES"));

        // a training stand-in with exactly those variables lands on emulated GPU 2 at 30 %
        Path socket = dir.resolve("gpu.sock");
        gpu = JavaProcs.start(EmuMain.class, Map.of(), dir.resolve("gpu.log"), "emu-gpu", "--socket", socket.toString(),
                "--gpus", "4");
        assertTrue(JavaProcs.await(() -> JavaProcs.read(dir.resolve("gpu.log")).contains("listening"), 20_000));
        Map<String, String> cenv = new HashMap<>(ex);
        cenv.put("GPUCOLO_EMU_GPU_SOCKET", socket.toString());
        cenv.put("SLURM_JOB_ID", "101");
        client = JavaProcs.start(EmuMain.class, cenv, dir.resolve("client.log"), "emu-train", "--memory-mib", "1024");
        assertTrue(JavaProcs.await(() -> JavaProcs.read(dir.resolve("client.log")).contains("attached cap=30"), 20_000),
                JavaProcs.read(dir.resolve("client.log")));
        List<String> status = EmuGpuClient.queryStatus(socket);
        int g2 = status.indexOf("gpu_index=2");
        assertTrue(g2 >= 0 && status.get(g2 + 2).contains("pid=" + client.pid()) && status.get(g2 + 2).contains("cap=30"),
                status.toString());
        JavaProcs.destroy(client);

        // a process of the job left stopped: the epilog resumes it
        victim = JavaProcs.start(EmuMain.class, Map.of("SLURM_JOB_ID", "101", "GPUCOLO_EMU_GPU_SOCKET", "/nonexistent"),
                dir.resolve("victim.log"), "emu-gpu", "--socket", dir.resolve("victim.sock").toString());
        JavaProcs.signal(victim.pid(), "STOP");
        assertTrue(JavaProcs.await(() -> JavaProcs.state(victim.pid()) == 'T', 2_000));
        Map<String, String> eenv = slurmEnv("101", Long.toString(uid));
        JavaProcs.Result e = hook("epilog", eenv);
        assertEquals(0, e.rc(), e.output());
        assertTrue(JavaProcs.await(() -> JavaProcs.state(victim.pid()) != 'T', 2_000), "still stopped: " + e.output());
        assertTrue(e.output().contains("resumed stopped process(es) [" + victim.pid() + "]"), e.output());
        assertTrue(e.output().contains("MPS control daemon quit"), e.output());
        assertFalse(Files.exists(pid));
        assertFalse(Files.exists(state.resolve("jobs/101")));
        JavaProcs.Result e2 = hook("epilog", eenv);
        assertEquals(0, e2.rc(), e2.output());
        assertEquals("", hook("taskprolog", tenv).output().trim(), "no exports once the job is gone");
    }

    @Test
    void anotherUsersGuestRunsTimeSlicedAndTheDaemonStaysForTheFirst() throws Exception {
        decide("201", "gpucolo:service id=d1 gpu=vm:g2 name=resnet50");
        decide("202", "gpucolo:train id=d2 gpu=vm:g2 share=40 mem=1024");
        assertEquals(0, hook("prolog", slurmEnv("201", "1001")).rc());
        JavaProcs.Result p = hook("prolog", slurmEnv("202", "1002"));
        assertEquals(0, p.rc(), p.output());
        assertTrue(p.output().contains("MPS runs one server per user"), p.output());
        Map<String, String> ex = exports(hook("taskprolog", Map.of("SLURM_JOB_ID", "202")).output());
        assertEquals("2", ex.get("CUDA_VISIBLE_DEVICES"));
        assertEquals(state.resolve("nomps/202").toString(), ex.get("CUDA_MPS_PIPE_DIRECTORY"));
        assertTrue(Files.isDirectory(state.resolve("nomps/202")));
        assertEquals(0, hook("epilog", slurmEnv("202", "1002")).rc());
        assertTrue(Files.exists(dir.resolve("mps/g2/nvidia-cuda-mps-control.pid")), "the service still uses MPS");
        JavaProcs.Result e = hook("epilog", slurmEnv("201", "1001"));
        assertTrue(e.output().contains("MPS control daemon quit"), e.output());
    }

    @Test
    void anMpsDaemonThatWillNotStartDrainsTheNodeWithAReason() throws Exception {
        Files.writeString(conf, Files.readString(conf).replaceAll("mps_control = .*", "mps_control = /bin/false"));
        decide("301", "gpucolo:train id=d3 gpu=vm:g2 share=30 mem=1024");
        JavaProcs.Result p = hook("prolog", slurmEnv("301", "1001"));
        assertEquals(1, p.rc(), p.output());
        String drained = Files.readString(scontrolLog);
        assertTrue(drained.startsWith("update nodename=vm state=drain reason=gpucolo: MPS daemon for GPU 2 will not start: "),
                drained);
        assertFalse(p.output().contains("\tat "), p.output());
    }

    @Test
    void anMpsDaemonThatWillNotQuitDrainsTheNodeFromTheEpilog() throws Exception {
        // a stand-in whose daemon ignores quit: -d leaves a sleeping process and its pid file, commands do nothing
        Path stubborn = script("stubborn-mps", "if [ \"$1\" = -d ]; then mkdir -p \"$CUDA_MPS_PIPE_DIRECTORY\";"
                + " /usr/bin/setsid /bin/sleep 300 < /dev/null > /dev/null 2>&1 &"
                + " echo $! > \"$CUDA_MPS_PIPE_DIRECTORY/nvidia-cuda-mps-control.pid\"; exit 0; fi\ncat > /dev/null; exit 0");
        Files.writeString(conf, Files.readString(conf).replaceAll("mps_control = .*", "mps_control = " + stubborn)
                + "mps_timeout_ms = 1000\n");
        decide("501", "gpucolo:train id=d5 gpu=vm:g3 share=30 mem=1024");
        Map<String, String> env = slurmEnv("501", "1001");
        env.put("SLURM_JOB_GPUS", "3");
        assertEquals(0, hook("prolog", env).rc());
        long sleeper = Long.parseLong(Files.readString(dir.resolve("mps/g3/nvidia-cuda-mps-control.pid")).trim());
        try {
            JavaProcs.Result e = hook("epilog", env);
            assertEquals(0, e.rc(), "the epilog never fails (that would drain the node without a reason): " + e.output());
            assertTrue(e.output().contains("will not quit"), e.output());
            assertTrue(Files.readString(scontrolLog).contains(
                    "update nodename=vm state=drain reason=gpucolo: MPS daemon for GPU 3 will not quit: "), Files.readString(scontrolLog));
        } finally {
            ProcessHandle.of(sleeper).ifPresent(ProcessHandle::destroy);
        }
    }

    @Test
    void garbledOrMissingSlurmVariablesAreOneClearLine() throws Exception {
        JavaProcs.Result none = hook("prolog", Map.of());
        assertEquals(2, none.rc());
        assertEquals("gpucolo prolog: SLURM_JOB_ID is not set: run as Slurm's Prolog, Epilog or TaskProlog", none.output().trim());
        Map<String, String> bad = slurmEnv("401", "x1");
        JavaProcs.Result r = hook("prolog", bad);
        assertEquals(2, r.rc());
        assertEquals("gpucolo prolog: SLURM_JOB_UID='x1' is not a number", r.output().trim());
        decide("402", "gpucolo:train gpu=vm:g2 share=lots");
        JavaProcs.Result g = hook("prolog", slurmEnv("402", "1001"));
        assertEquals(0, g.rc(), "a garbled decision must not drain the node: " + g.output());
        assertTrue(g.output().contains("share='lots' is not a whole number") && g.output().contains("not co-located"), g.output());
        JavaProcs.Result plain = hook("prolog", slurmEnv("403", "1001"));
        assertEquals(0, plain.rc(), plain.output());
        assertFalse(Files.exists(state.resolve("jobs/403")));
    }
}
