package io.gpucolo.node.actuator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes, real signals, state read from /proc. */
class ActuatorTest {
    @TempDir
    Path dir;
    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        for (Process p : children) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private Process child() throws Exception {
        Process p = new ProcessBuilder("/bin/sleep", "120").start();
        children.add(p);
        return p;
    }

    /** A shell that waits for a child of its own. */
    private Process shellWithChild() throws Exception {
        Process shell = new ProcessBuilder("/bin/sh", "-c", "/bin/sleep 120 & wait").start();
        children.add(shell);
        Thread.sleep(200);
        return shell;
    }

    /** Waits up to 3 s for /proc to show {@code wanted} ('T' stopped) or, with wanted '!', anything but 'T'. */
    private static char await(long pid, char wanted) throws InterruptedException {
        char s = '?';
        for (int i = 0; i < 300; i++) {
            s = Pauser.procState(pid);
            if (wanted == '!' ? s != 'T' : s == wanted) {
                return s;
            }
            Thread.sleep(10);
        }
        return s;
    }

    @Test
    void stopAndResumeASetOfProcessesWithChildren() throws Exception {
        Process shell = shellWithChild();
        long grandChild = shell.descendants().findFirst().orElseThrow().pid();
        PauseTarget t = new PauseTarget.Pids(List.of(shell.pid()));
        Pauser.stop(t);
        assertEquals('T', await(shell.pid(), 'T'));
        assertEquals('T', await(grandChild, 'T'));
        Pauser.resume(t);
        assertNotEquals('T', await(shell.pid(), '!'));
        assertNotEquals('T', await(grandChild, '!'));
    }

    @Test
    void signallerCoprocessStopsAndResumes() throws Exception {
        Process p = child();
        PauseTarget t = new PauseTarget.Pids(List.of(p.pid()));
        try (Signaller s = new Signaller()) {
            Pauser.apply(t, true, s);
            assertEquals('T', await(p.pid(), 'T'));
            Pauser.apply(t, false, s);
            assertNotEquals('T', await(p.pid(), '!'));
        }
    }

    @Test
    void leaseExpiryResumesAndTheStateFileFollows() throws Exception {
        Process p = child();
        Path state = dir.resolve("leases");
        try (LeaseGuard guard = new LeaseGuard(state, Duration.ofSeconds(5), false)) {
            PauseTarget t = new PauseTarget.Pids(List.of(p.pid()));
            guard.stop(t, Duration.ofMillis(400));
            assertEquals('T', await(p.pid(), 'T'));
            assertEquals(List.of("pids:" + p.pid()), Files.readAllLines(state));
            assertNotEquals('T', await(p.pid(), '!'));          // nobody resumed it but the lease
            assertEquals(List.of("pids:" + p.pid()), Files.readAllLines(state));   // kept while cycling
            guard.resume(t);
            assertEquals(List.of(), Files.readAllLines(state));
        }
    }

    @Test
    void leasesAreCutToTheMaximum() throws Exception {
        Process p = child();
        try (LeaseGuard guard = new LeaseGuard(dir.resolve("leases"), Duration.ofMillis(300), false)) {
            guard.stop(new PauseTarget.Pids(List.of(p.pid())), Duration.ofHours(1));
            assertEquals('T', await(p.pid(), 'T'));
            long t0 = System.nanoTime();
            assertNotEquals('T', await(p.pid(), '!'));
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 2500);
        }
    }

    @Test
    void startupResumesWhatAPreviousNodedLeftStopped() throws Exception {
        Process p = child();
        Path state = dir.resolve("leases");
        PauseTarget t = new PauseTarget.Pids(List.of(p.pid()));
        Pauser.stop(t);
        Files.writeString(state, t.key() + "\n");
        assertEquals('T', await(p.pid(), 'T'));
        assertEquals(1, LeaseGuard.resumeLeftovers(state));
        assertNotEquals('T', await(p.pid(), '!'));
        assertFalse(Files.exists(state));
    }

    @Test
    void dutyCyclerStopsForTheOffPartOfThePeriod() throws Exception {
        Process p = child();
        try (LeaseGuard guard = new LeaseGuard(dir.resolve("leases"), Duration.ofSeconds(5), false)) {
            DutyCycler cycler = new DutyCycler(guard, Duration.ofSeconds(1));
            PauseTarget t = new PauseTarget.Pids(List.of(p.pid()));
            assertEquals(Duration.ofMillis(700), cycler.apply(t, 0.3));
            assertEquals('T', await(p.pid(), 'T'));
            assertNotEquals('T', await(p.pid(), '!'));
            assertEquals(Duration.ZERO, cycler.apply(t, 1.0));
            assertNotEquals('T', Pauser.procState(p.pid()));
        }
    }

    /** Duty 0: a lease of 1.5 periods, renewed by the next period's stop, so no run slips in between; then it ends. */
    @Test
    void fullStopOutlastsThePeriodUntilRenewedAndStillEnds() throws Exception {
        Process p = child();
        try (LeaseGuard guard = new LeaseGuard(dir.resolve("leases"), Duration.ofSeconds(5), false)) {
            DutyCycler cycler = new DutyCycler(guard, Duration.ofMillis(200));
            PauseTarget t = new PauseTarget.Pids(List.of(p.pid()));
            for (int period = 0; period < 5; period++) {
                assertEquals(Duration.ofMillis(300), cycler.apply(t, 0.0));
                Thread.sleep(200);
                assertEquals('T', Pauser.procState(p.pid()), "still stopped when period " + period + " ends");
            }
            assertNotEquals('T', await(p.pid(), '!'));   // no renewal: resumed by itself at the end of the lease
        }
    }

    /**
     * Duty cycling through the guard and its watchdog, as noded does: each stop (children included) lasts its whole
     * lease, then the process runs briefly and is stopped again. A backstop resume of the watchdog landing late (it
     * used to share the lease's deadline) would cut a later stop short.
     */
    @Test
    void dutyCycledStopsLastTheirWholeLease() throws Exception {
        Process shell = shellWithChild();
        long grandChild = shell.descendants().findFirst().orElseThrow().pid();
        PauseTarget t = new PauseTarget.Pids(List.of(shell.pid()));
        try (LeaseGuard guard = new LeaseGuard(dir.resolve("leases"), Duration.ofSeconds(2), true)) {
            for (int i = 0; i < 8; i++) {
                long t0 = System.nanoTime();
                guard.stop(t, Duration.ofMillis(150));
                assertEquals('T', await(shell.pid(), 'T'));
                assertEquals('T', await(grandChild, 'T'));
                assertNotEquals('T', await(shell.pid(), '!'));
                long stoppedMs = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(stoppedMs >= 140, "stop " + i + " lasted " + stoppedMs + " ms of its 150 ms lease");
                assertNotEquals('T', await(grandChild, '!'));
                Thread.sleep(20);
            }
            assertEquals(List.of(t.key()), guard.held());
        }
        assertNotEquals('T', Pauser.procState(shell.pid()));
    }

    /** The watchdog is a separate process: it resumes on lease expiry and when its parent's pipe closes. */
    @Test
    void watchdogProcessResumesWhenNodedGoesAway() throws Exception {
        Process a = child();
        Process b = child();
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process dog = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LeaseWatchdog.class.getName())
                .redirectErrorStream(true).start();
        children.add(dog);
        OutputStream pipe = dog.getOutputStream();
        PauseTarget ta = new PauseTarget.Pids(List.of(a.pid()));
        PauseTarget tb = new PauseTarget.Pids(List.of(b.pid()));
        pipe.write(("stop 300 " + ta.key() + "\nstop 600000 " + tb.key() + "\n").getBytes(StandardCharsets.UTF_8));
        pipe.flush();
        Pauser.stop(ta);
        Pauser.stop(tb);
        assertEquals('T', await(b.pid(), 'T'));
        Thread.sleep(1500);                                      // JVM start + the 300 ms lease
        assertNotEquals('T', await(a.pid(), '!'));              // expired lease resumed by the watchdog
        assertEquals('T', Pauser.procState(b.pid()));           // the long lease still holds
        pipe.close();                                           // "noded died"
        assertTrue(dog.waitFor(10, TimeUnit.SECONDS));
        assertNotEquals('T', await(b.pid(), '!'));
        String log = new String(dog.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(log.contains("lease expired, resumed " + ta.key()), log);
    }

    @Test
    void targetTextRoundTrips() {
        for (String key : List.of("pids:12,13", "freezer-v1:/sys/fs/cgroup/freezer/slurm/job_1", "freezer-v2:/sys/fs/cgroup/x")) {
            assertEquals(key, PauseTarget.parse(key).key());
        }
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> PauseTarget.parse("pid:1"));
        assertTrue(e.getMessage().contains("unknown pause target"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> PauseTarget.parse("pids:1"));
    }
}
