package io.gpucolo.node.noded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.gpucolo.node.actuator.Pauser;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real noded on a real Unix socket, real child processes, a real HTTP metrics endpoint. */
class NodedTest {
    @TempDir
    Path tmp;
    private Path dir;
    private final List<Process> children = new ArrayList<>();
    private Noded noded;

    @BeforeEach
    void dirs() throws Exception {
        dir = tmp.resolve("run");
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void cleanUp() {
        if (noded != null) {
            noded.close();
        }
        children.forEach(Process::destroyForcibly);
    }

    private Noded start(Duration period) throws Exception {
        noded = new Noded(new Noded.Config(dir.resolve("noded.sock"), dir, period, Duration.ofSeconds(2), -1, 0,
                Set.of("root", "slurm"), Laws.OURS), Clock.systemUTC(), (job, socket, share) -> List.of());
        return noded;
    }

    private NodedClient client() {
        return new NodedClient(dir.resolve("noded.sock"), Duration.ofSeconds(5));
    }

    private Process child() throws Exception {
        Process p = new ProcessBuilder("/bin/sleep", "120").start();
        children.add(p);
        return p;
    }

    /** Runs a Python client as another user (setpriv) and returns its output: the reply line or the error. */
    private String asUser(String user, String request) throws Exception {
        String py = "import socket,sys\n"
                + "s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(sys.argv[2].encode()+b'\\n')\n"
                + "print(s.makefile().readline().strip())\n";
        Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=" + idOf(user, "-u"), "--regid=" + idOf(user, "-g"), "--clear-groups",
                "/usr/bin/python3", "-c", py, dir.resolve("noded.sock").toString(), request)
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static String idOf(String user, String flag) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/id", flag, user).start();
        assertTrue(p.waitFor(5, TimeUnit.SECONDS));
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    @Test
    void controlSocketRefusesPeersOtherThanRootAndSlurm() throws Exception {
        assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"), "needs root to switch uid");
        start(Duration.ofSeconds(1));
        String refused = asUser("nobody", "{\"op\":\"status\"}");
        assertTrue(refused.contains("\"ok\":false") && refused.contains("user 'nobody' may not control noded"), refused);
        String accepted = asUser("slurm", "{\"op\":\"status\"}");
        assertTrue(accepted.contains("\"ok\":true"), accepted);
    }

    @Test
    void registerResumeDeregisterAndBadRequests() throws Exception {
        start(Duration.ofSeconds(1));
        Process p = child();
        NodedClient c = client();
        c.register(JobRegistration.training("41", 0, List.of(p.pid()), null, 50));
        c.register(JobRegistration.inference("40", 0, "resnet", 20, null, null));
        String status = c.status();
        assertTrue(status.contains("\"training\" : [ \"41\" ]"), status);
        assertTrue(status.contains("\"coLocated\" : true"), status);
        assertEquals(0, c.resume("41") - 1);
        assertEquals(1, c.deregister("41"));
        assertEquals(0, c.deregister("41"));
        NodedException e = assertThrows(NodedException.class, () -> c.deregister(""));
        assertTrue(e.getMessage().contains("deregister needs a jobId"), e.getMessage());
        String garbage = asUser("root", "{\"op\":\"register\",\"job\":{\"jobId\":\"x;rm -rf\",\"gpu\":0,\"role\":\"TRAINING\"}}");
        assertTrue(garbage.contains("job id must look like 1234"), garbage);
        String unknown = asUser("root", "{\"op\":\"explode\"}");
        assertTrue(unknown.contains("unknown op 'explode'"), unknown);
    }

    @Test
    void startResumesWhatAPreviousIncarnationLeftStopped() throws Exception {
        Process p = child();
        Files.writeString(dir.resolve("leases"), "pids:" + p.pid() + "\n");
        Pauser.stop(new io.gpucolo.node.actuator.PauseTarget.Pids(List.of(p.pid())));
        assertEquals('T', awaitState(p.pid(), true));
        assertEquals(1, start(Duration.ofSeconds(1)).resumedAtStart());
        assertNotEquals('T', awaitState(p.pid(), false));
    }

    @Test
    void burstOnTheScrapedEndpointThrottlesTrainingAndCloseResumesIt() throws Exception {
        AtomicLong slow = new AtomicLong();
        AtomicLong fast = new AtomicLong();
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/metrics", ex -> {
            // each scrape adds 100 requests; while "slow" they land in (40, 80] ms: p99 far above the 20 ms SLO
            if (slow.get() > 0) {
                slow.addAndGet(100);
            } else {
                fast.addAndGet(100);
            }
            long f = fast.get();
            long all = f + slow.get();
            String body = "lat_ms_bucket{le=\"10\"} " + f + "\nlat_ms_bucket{le=\"40\"} " + f + "\nlat_ms_bucket{le=\"80\"} " + all
                    + "\nlat_ms_bucket{le=\"+Inf\"} " + all + "\nlat_ms_sum " + (f * 5 + slow.get() * 60) + "\nlat_ms_count " + all + "\n";
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        });
        http.start();
        try {
            start(Duration.ofMillis(200));
            Process p = child();
            NodedClient c = client();
            c.register(JobRegistration.inference("50", 1, "bert", 20,
                    "http://127.0.0.1:" + http.getAddress().getPort() + "/metrics", "lat_ms"));
            c.register(JobRegistration.training("51", 1, List.of(p.pid()), null, 100));
            Thread.sleep(1000);
            assertNotEquals('T', Pauser.procState(p.pid()));        // fast: training runs free
            slow.set(1);                                            // the burst
            assertEquals('T', awaitState(p.pid(), true));
            assertTrue(c.status().contains("\"duty\" : 0.0"), c.status());   // ours pauses training fully (floor 0)
            noded.close();
            noded = null;
            assertNotEquals('T', awaitState(p.pid(), false));       // shutdown resumes everything
        } finally {
            http.stop(0);
        }
    }

    private static char awaitState(long pid, boolean stopped) throws InterruptedException {
        char s = '?';
        for (int i = 0; i < 500; i++) {
            s = Pauser.procState(pid);
            if ((s == 'T') == stopped) {
                return s;
            }
            Thread.sleep(10);
        }
        return s;
    }
}
