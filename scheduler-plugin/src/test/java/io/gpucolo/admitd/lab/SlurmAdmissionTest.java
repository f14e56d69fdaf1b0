package io.gpucolo.admitd.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpucolo.admitd.lab.SlurmLab.Result;
import io.gpucolo.store.AuditEntry;
import io.gpucolo.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job_submit hook and admitd against a real Slurm 22.05: users submit with sbatch, the assertions read
 * {@code scontrol -d show job}. One lab for the class (a few seconds to start); each test leaves no job behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlurmAdmissionTest {
    private static final Duration T = Duration.ofSeconds(30);
    @TempDir
    static Path dir;
    static SlurmLab lab;
    static AdmitdProcess admitd;

    static Path policy(String mode) throws Exception {
        String base = Files.readString(SlurmLab.ROOT.resolve("etc/lab/gpucolo-lab.yaml"), StandardCharsets.UTF_8);
        String url = "jdbc:h2:file:" + dir.resolve("store") + ";AUTO_SERVER=TRUE";
        String p = base.replace("\nadmitd:\n", "\nadmitd:\n  database_url: \"" + url + "\"\n")
                .replace("mode: open", "mode: " + mode)
                .replace("deadline_ms: 100", "deadline_ms: 3000")      // behaviour, not latency: CI machines are loaded + "limits:\n  max_guests_per_gpu: 1\n"
                + "eviction:\n  order: [suspend, requeue]\n  escalate_after_s: 2\n";
        Path f = dir.resolve("policy-" + mode + ".yaml");
        Files.writeString(f, p, StandardCharsets.UTF_8);
        return f;
    }

    static AdmitdProcess startAdmitd(String mode) throws Exception {
        return AdmitdProcess.start(lab, policy(mode), dir.resolve("journal"), dir.resolve("admitd-" + mode + ".log"));
    }

    @BeforeAll
    static void up() throws Exception {
        SlurmLab.assumeAvailable();
        lab = SlurmLab.start(Path.of("/tmp/gpucolo-lab"), Map.of());
        admitd = startAdmitd("open");
        Thread.sleep(2500);                        // the hook re-reads its settings every 2 s
    }

    @AfterAll
    static void down() throws Exception {
        if (admitd != null) {
            admitd.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    /** Keeps admitd's and slurmctld's logs of each test under $LAB/log for a failure's post-mortem. */
    @org.junit.jupiter.api.AfterEach
    void diagnostics(org.junit.jupiter.api.TestInfo info) throws Exception {
        Files.writeString(lab.lab().resolve("log").resolve("it-" + info.getTestMethod().map(m -> m.getName()).orElse("x")
                + ".log"), admitd.log() + "\n---- slurmctld ----\n"
                + Files.readString(lab.lab().resolve("log/slurmctld.log"), StandardCharsets.UTF_8)
                + "\n---- journal ----\n" + Files.readString(dir.resolve("journal"), StandardCharsets.US_ASCII));
    }

    /** Waits until admitd has reconciled the previous test's cancelled jobs away (it follows no decision). */
    @org.junit.jupiter.api.BeforeEach
    void admitdIdle() throws Exception {
        SlurmLab.waitFor(() -> cli(new io.gpucolo.admitd.cli.StatusCommand(), 0, "--hook-conf", lab.hookConf().toString())
                .contains("following 0 decisions"), T, "admitd to forget ended jobs");
    }

    /** Runs a CLI command in-process and returns what it printed; asserts its exit code. */
    static String cli(Object command, int expectedExit, String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cl = new picocli.CommandLine(command);
        cl.setOut(new java.io.PrintWriter(out));
        cl.setErr(new java.io.PrintWriter(out));
        assertEquals(expectedExit, cl.execute(args), out.toString());
        return out.toString();
    }

    static int gpuIndex(String gres) {
        Matcher m = Pattern.compile("\\(IDX:([0-9]+)\\)").matcher(gres);
        assertTrue(m.find(), "no GPU index in '" + gres + "'");
        return Integer.parseInt(m.group(1));
    }

    @Test
    @Order(1)
    void trainingLandsOnTheChosenGpuBesideTheInferenceService() throws Exception {
        String svc = lab.submit("alice", "--comment=gpucolo:service=resnet50-web");
        lab.waitState(svc, "RUNNING", T);
        String train = lab.submit("bob", "--comment=gpucolo:colocate share=30 mem=4G");
        lab.waitState(train, "RUNNING", T);
        int g = gpuIndex(lab.gres(svc));
        assertEquals("mps:g" + g + ":30(IDX:" + g + ")", lab.gres(train));
        assertTrue(lab.field(train, "AdminComment").startsWith("gpucolo:train"), lab.showJob(train));
        assertTrue(lab.showJob(train).contains(":g" + g + " share=30 mem=4096"), lab.showJob(train));
        String status = cli(new io.gpucolo.admitd.cli.StatusCommand(), 0, "--hook-conf", lab.hookConf().toString());
        assertTrue(status.matches("(?s).*:g" + g + " services=resnet50-web\\(d[0-9]+ slo_p99=150.0ms.*guests=d[0-9]+:30%:4096MiB.*"),
                status);
        assertTrue(status.matches("(?s).*request stages p99 ms: connect:[0-9.]+,read:.*,journal:[0-9.]+,reply:[0-9.]+,"
                + "service:[0-9.]+; journal fsync p50,p99,max ms: [0-9.]+,[0-9.]+,[0-9.]+; hook thread: "
                + ("root".equals(System.getProperty("user.name")) ? "SCHED_FIFO 1" : "[^\n]+") + "\n.*"), status);
        Thread.sleep(1500);                                        // bound and drained to the audit log
        String explain = cli(new io.gpucolo.admitd.cli.ExplainCommand(), 0, train, "--policy", policy("open").toString());
        assertTrue(explain.matches("(?s)job " + train + " \\(decision d[0-9]+, policy [0-9a-f]{12}\\).*admit +on vm:g" + g
                + " mps=30 mem=4096.*bind.*"), explain);
        assertTrue(explain.contains("comment=\"gpucolo:colocate share=30 mem=4G\""), explain);
        cli(new io.gpucolo.admitd.cli.ExplainCommand(), 1, "999999", "--policy", policy("open").toString());
        lab.cancelAll();
    }

    @Test
    @Order(2)
    void refusalsAreShownToTheUserAndHostileFieldsAreHarmless() throws Exception {
        Result notGranted = lab.sbatch("bob", List.of("--comment=gpucolo:service=resnet50-web"), 60);
        assertEquals(1, notGranted.exit());
        assertTrue(notGranted.err().contains("user bob may not run service resnet50-web"), notGranted.err());
        Result unknown = lab.sbatch("alice", List.of("--comment=gpucolo:service=nope"), 60);
        assertTrue(unknown.err().contains("unknown service 'nope'; declared: resnet50-web, bert-qa"), unknown.err());
        Result badOpt = lab.sbatch("bob", List.of("--comment=gpucolo:colocate share=abc"), 60);
        assertTrue(badOpt.err().contains("share must be a percentage 1..100, got 'abc'"), badOpt.err());
        Result hostile = lab.sbatch("bob", List.of("--comment=gpucolo:colocate \"q\" 'x' $(touch /tmp/pwned) `id`;|&\n\u00ff"), 60);
        assertEquals(1, hostile.exit());
        assertTrue(hostile.err().contains("unknown option"), hostile.err());
        assertFalse(Files.exists(Path.of("/tmp/pwned")));
        Result mps = lab.sbatch("carol", List.of("--gres=mps:50"), 60);
        assertTrue(mps.err().contains("MPS shares are assigned by gpucolo"), mps.err());
        Result multiNode = lab.sbatch("carol", List.of("-N", "2", "--gres=gpu:1"), 60);
        assertEquals(1, multiNode.exit());
        assertTrue(multiNode.err().contains("whole-GPU jobs on several nodes (-N 2) cannot be kept off co-located GPUs"),
                multiNode.err());
        Result multiNodeTyped = lab.sbatch("carol", List.of("-N", "2", "--gres=gpu:g1:1"), 60);
        assertTrue(multiNodeTyped.err().contains("(-N 2) cannot be kept off"), multiNodeTyped.err());
        Result perTask = lab.sbatch("carol", List.of("-n", "1", "--gpus-per-task=1"), 60);
        assertEquals(1, perTask.exit());
        assertTrue(perTask.err().contains("--gpus-per-task and --gpus-per-socket cannot be kept off"), perTask.err());
        assertTrue(admitd.log().contains("reject (share must be a percentage"), admitd.log());
    }

    @Test
    @Order(3)
    void deferredJobIsHeldThenReleasedAndWholeGpuJobsNeverJoinACoLocatedPair() throws Exception {
        String svc = lab.submit("alice", "--comment=gpucolo:service=resnet50-web");
        lab.waitState(svc, "RUNNING", T);
        int g = gpuIndex(lab.gres(svc));
        String first = lab.submit("bob", "--comment=gpucolo:colocate share=60 mem=4G");
        lab.waitState(first, "RUNNING", T);
        assertEquals(g, gpuIndex(lab.gres(first)));
        List<String> whole = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String w = lab.submit("carol", "--gres=gpu:1");
            lab.waitState(w, "RUNNING", T);
            assertNotEquals(g, gpuIndex(lab.gres(w)), "whole-GPU job on the co-located GPU: " + lab.showJob(w));
            whole.add(w);
        }
        Result held = lab.sbatch("bob", List.of("--comment=gpucolo:colocate restartable share=40 mem=4G"), 600);
        assertTrue(held.ok(), held.err());
        assertTrue(held.err().contains("no GPU has room now"), held.err());
        String deferred = held.out().strip();
        Thread.sleep(1500);
        assertEquals("PENDING", lab.state(deferred));
        assertTrue(lab.field(deferred, "Reason").startsWith("JobHeld"), lab.showJob(deferred));
        String waiting = lab.submit("carol", "--gres=gpu:1");      // all GPUs busy: pinned to a whole-GPU one
        lab.cancel(first);                                         // headroom appears on the service's GPU
        lab.waitState(deferred, "RUNNING", T);
        assertEquals("mps:g" + g + ":40(IDX:" + g + ")", lab.gres(deferred));
        lab.cancel(deferred);                                      // one of the pair ends: the 22.05 bug's trigger
        Thread.sleep(4000);
        assertEquals("PENDING", lab.state(waiting), "whole-GPU job started beside the service: " + lab.showJob(waiting));
        lab.cancel(whole.get(0));
        lab.waitState(waiting, "RUNNING", T);
        assertNotEquals(g, gpuIndex(lab.gres(waiting)));
        assertEquals("RUNNING", lab.state(svc));
        lab.cancelAll();
    }

    @Test
    @Order(4)
    void usersCannotReshapeAGpucoloJobButAdminsCan() throws Exception {
        String train = lab.submit("bob", "--comment=gpucolo:colocate share=30 mem=4G");
        lab.waitState(train, "RUNNING", T);
        String gres = lab.gres(train);
        assertFalse(lab.as("bob", "scontrol", "update", "JobId=" + train, "Comment=gpucolo:colocate share=90").ok());
        String pending = lab.submit("bob", "--comment=gpucolo:colocate share=30 mem=4G", "--begin=now+1hour");
        String before = lab.field(pending, "TresPerNode");
        assertFalse(lab.as("bob", "scontrol", "update", "JobId=" + pending, "TresPerNode=gres:mps:g3:90").ok());
        assertEquals(before, lab.field(pending, "TresPerNode"), lab.showJob(pending));
        assertTrue(lab.as("bob", "scontrol", "update", "JobId=" + pending, "JobName=renamed").ok());
        assertEquals("renamed", lab.field(pending, "JobName"));
        assertTrue(lab.run(List.of("scontrol", "update", "JobId=" + pending, "TimeLimit=30")).ok());
        assertEquals("00:30:00", lab.field(pending, "TimeLimit"));
        String plain = lab.submit("carol", "--begin=now+1hour");
        assertFalse(lab.as("carol", "scontrol", "update", "JobId=" + plain, "Comment=gpucolo:colocate share=50").ok());
        assertEquals(gres, lab.gres(train));
        lab.cancelAll();
    }

    @Test
    @Order(5)
    void aLoadBurstSuspendsThenRequeuesTheGuestInThePolicysOrder() throws Exception {
        String svc = lab.submit("alice", "--comment=gpucolo:service=resnet50-web");
        lab.waitState(svc, "RUNNING", T);
        int g = gpuIndex(lab.gres(svc));
        String guest = lab.submit("bob", "--comment=gpucolo:colocate restartable share=30 mem=4G");
        lab.waitState(guest, "RUNNING", T);
        assertEquals(g, gpuIndex(lab.gres(guest)));
        Thread.sleep(1000);                                        // bound to its job id by reconcile
        try (Store store = Store.open("jdbc:h2:file:" + dir.resolve("store") + ";AUTO_SERVER=TRUE", "", "")) {
            store.appendLoad(new io.gpucolo.store.LoadSample("resnet50-web", "vm:g" + g, java.time.Instant.now(),
                    5000, java.util.OptionalDouble.empty()));
        }
        lab.waitState(guest, "SUSPENDED", T);
        assertEquals("RUNNING", lab.state(svc));
        SlurmLab.waitFor(() -> {                                   // requeued (held), then re-packed elsewhere or held
            try {
                return lab.state(guest).equals("PENDING") && (lab.field(guest, "Reason").startsWith("JobHeld")
                        || !lab.field(guest, "TresPerNode").contains(":g" + g + ":"));
            } catch (Exception e) {
                return false;
            }
        }, T, "guest requeued off vm:g" + g);
        assertEquals(1, Integer.parseInt(lab.field(guest, "Restarts")), lab.showJob(guest));
        assertTrue(admitd.log().contains("job " + guest + ": suspend"), admitd.log());
        assertTrue(admitd.log().contains("job " + guest + ": requeuehold"), admitd.log());
        lab.cancelAll();
    }

    @Test
    @Order(6)
    void killedAdmitdLosesNoDecisionAndTheHookFailsOpenThenClosed() throws Exception {
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            jobs.add(lab.submit(i % 2 == 0 ? "bob" : "dave", "--comment=gpucolo:colocate share=10 mem=2G"));
        }
        String before = admitd.log();
        assertTrue(before.contains("journal compacted"), "no compaction in the run so far:\n" + before);
        admitd.close();                   // restarted between two submissions: the hook's kept connection to the old
        admitd = startAdmitd("open");     // admitd is found closed and replaced, the next submission is decided
        String afterRestart = lab.submit("dave", "--comment=gpucolo:colocate share=10 mem=2G");
        String ac = lab.field(afterRestart, "AdminComment");
        assertTrue(ac.startsWith("gpucolo:") && !ac.startsWith("gpucolo:fail-open"), lab.showJob(afterRestart));
        jobs.add(afterRestart);
        admitd.kill9();
        String open = lab.submit("bob", "--comment=gpucolo:colocate share=10 mem=2G");
        assertEquals("train", lab.field(open, "Partition"));
        assertTrue(lab.field(open, "AdminComment").startsWith("gpucolo:fail-open"), lab.showJob(open));
        assertTrue(List.of("", "(null)").contains(lab.field(open, "TresPerNode")), lab.showJob(open));
        admitd = startAdmitd("closed");
        assertTrue(admitd.log().contains("events replayed"), admitd.log());
        Thread.sleep(3000);                                        // drained to the store, hook settings re-read
        try (Store store = Store.open("jdbc:h2:file:" + dir.resolve("store") + ";AUTO_SERVER=TRUE", "", "")) {
            for (String j : jobs) {
                List<AuditEntry> rows = store.decisions(j);
                assertTrue(rows.stream().anyMatch(r -> r.kind().equals("admit") || r.kind().equals("defer")),
                        "job " + j + " has no decision in the audit log: " + rows + "\n" + admitd.log());
                assertEquals(1, rows.stream().filter(r -> r.kind().equals("admit") || r.kind().equals("defer")
                        || r.kind().equals("reject")).count(), "duplicate decision for job " + j + ": " + rows);
            }
        }
        admitd.close();
        Result closed = lab.sbatch("bob", List.of("--comment=gpucolo:colocate share=10 mem=2G"), 60);
        assertEquals(1, closed.exit());
        assertTrue(closed.err().contains("admission daemon is unavailable"), closed.err());
        String untouched = lab.submit("carol", "--comment=just a comment");
        assertTrue(List.of("", "(null)").contains(lab.field(untouched, "AdminComment")), lab.showJob(untouched));
        admitd = startAdmitd("open");
        lab.cancelAll();
    }

    @Test
    @Order(7)
    void gpucoloReleasesOnlyTheHoldsItPlacedNeverAUsersOwn() throws Exception {
        String svc = lab.submit("bob", "--comment=gpucolo:service=bert-qa");   // resnet50-web has test 5's burst in its history
        lab.waitState(svc, "RUNNING", T);
        int g = gpuIndex(lab.gres(svc));
        String first = lab.submit("bob", "--comment=gpucolo:colocate share=60 mem=4G");
        lab.waitState(first, "RUNNING", T);
        assertEquals(g, gpuIndex(lab.gres(first)), lab.showJob(first));
        for (int i = 0; i < 3; i++) {
            lab.waitState(lab.submit("carol", "--gres=gpu:1"), "RUNNING", T);
        }
        Result userHeld = lab.sbatch("bob", List.of("--hold", "--comment=gpucolo:colocate share=50 mem=4G"), 600);
        assertTrue(userHeld.ok(), userHeld.err());
        assertTrue(userHeld.err().contains("stays held until you release it"), userHeld.err());
        String mine = userHeld.out().strip();
        Result held = lab.sbatch("bob", List.of("--comment=gpucolo:colocate share=50 mem=4G"), 600);
        assertTrue(held.err().contains("released when headroom appears"), held.err());
        String ours = held.out().strip();
        assertTrue(lab.showJob(mine).matches("(?s).*AdminComment=gpucolo:defer id=d[0-9]+ share=50 mem=4096 user-hold\\s.*"),
                lab.showJob(mine));
        assertFalse(lab.showJob(ours).contains("user-hold"), lab.showJob(ours));
        assertFalse(lab.as("bob", "scontrol", "release", ours).ok(), "the user released gpucolo's hold");
        assertFalse(lab.as("bob", "scontrol", "release", mine).ok(), "released before a GPU was chosen");
        Thread.sleep(1500);
        assertEquals("PENDING", lab.state(ours), lab.showJob(ours));
        assertEquals("PENDING", lab.state(mine), lab.showJob(mine));
        lab.cancel(ours);
        lab.cancel(first);                                         // headroom appears: the user's job is pinned, not released
        SlurmLab.waitFor(() -> {
            try {
                return lab.field(mine, "TresPerNode").contains("mps:g" + g + ":50");
            } catch (Exception e) {
                return false;
            }
        }, T, "job " + mine + " pinned to vm:g" + g);
        Thread.sleep(3000);                                        // several reconcile and re-pack passes
        assertEquals("PENDING", lab.state(mine), lab.showJob(mine));
        assertEquals("JobHeldUser", lab.field(mine, "Reason"), lab.showJob(mine));
        assertTrue(lab.field(mine, "AdminComment").startsWith("gpucolo:train"), lab.showJob(mine));
        assertTrue(admitd.log().contains("left held: its user submitted it with --hold"), admitd.log());
        assertTrue(lab.as("bob", "scontrol", "release", mine).ok());
        lab.waitState(mine, "RUNNING", T);
        assertEquals("mps:g" + g + ":50(IDX:" + g + ")", lab.gres(mine));
        lab.cancelAll();
    }
}
