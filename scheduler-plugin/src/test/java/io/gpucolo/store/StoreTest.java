package io.gpucolo.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpucolo.admission.model.GpuId;
import io.gpucolo.admission.model.Placement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on a real H2 file: schema, round trips, idempotent audit appends, concurrent connections. */
class StoreTest {
    @TempDir
    Path dir;

    static AuditEntry entry(long seq, String jobId, Instant at) {
        return new AuditEntry(seq, "d" + seq, jobId, at, "admit", "fits: headroom 40% on vm:g0", "vm:g0 mps=30 mem=4096",
                "abc123def456", "{\"share\":30,\"quote\":\"it's \\\"x\\\"; rm -rf /\\n\"}");
    }

    String url() {
        return "jdbc:h2:file:" + dir.resolve("state");
    }

    @Test
    void migratesAnEmptyFileAndKeepsEverythingAcrossReopen() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        JobRecord job = new JobRecord("1234", JobKind.TRAINING, "alice", "", "running", 30, 8192, true, "gpu", "colocate",
                "ml", t0, t0.plusSeconds(5));
        JobRecord service = new JobRecord("1200", JobKind.SERVICE, "svc", "resnet50-web", "running", 0, 0, false, "gpu",
                "", "", t0.minusSeconds(60), t0);
        Placement where = new Placement("1234", new GpuId("vm", 1), 30, 8192);
        LoadSample load = new LoadSample("resnet50-web", "vm:g1", t0, 210.5, OptionalDouble.of(48.25));
        try (Store s = Store.open(url())) {
            assertEquals(1, s.schemaVersion());
            s.putJob(job);
            s.putJob(service);
            s.recordPlacement(where, t0.plusSeconds(5));
            assertTrue(s.recordDecision(entry(1, "1234", t0)));
            s.appendLoad(load);
        }
        assertTrue(Files.exists(dir.resolve("state.mv.db")));
        try (Store s = Store.open(url())) {
            assertEquals(List.of(service, job), s.jobs());
            assertEquals(Optional.of(job), s.job("1234"));
            assertEquals(List.of(new PlacementRecord(where, t0.plusSeconds(5), Optional.empty())), s.activePlacements());
            assertEquals(List.of(entry(1, "1234", t0)), s.decisions("1234"));
            assertEquals(List.of(load), s.loadHistory("resnet50-web", t0, t0.plusSeconds(1)));

            s.putJob(job.withState("done", t0.plusSeconds(99)));
            assertEquals(1, s.endPlacement("1234", t0.plusSeconds(99)));
            assertEquals("done", s.job("1234").orElseThrow().state());
            assertEquals(List.of(), s.activePlacements());
            assertEquals(Optional.of(t0.plusSeconds(99)), s.placements("1234").get(0).ended());
        }
    }

    @Test
    void schemaVersionConstantIsTheHighestMigration() throws Exception {
        Path migrations = Path.of(Store.class.getResource("/db/migration").toURI());
        int highest;
        try (var files = Files.list(migrations)) {
            highest = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElse(0);
        }
        assertEquals(highest, Store.SCHEMA_VERSION);
        try (Store s = Store.open(url())) {
            assertEquals(highest, s.schemaVersion());
        }
    }

    @Test
    void replayedDecisionsAreStoredOnce() {
        Instant t = Instant.ofEpochSecond(1000);
        try (Store s = Store.open(url())) {
            assertEquals(0, s.lastSeq());
            assertEquals(3, s.recordDecisions(List.of(entry(1, "a", t), entry(2, "b", t), entry(3, "c", t))));
            assertEquals(2, s.recordDecisions(List.of(entry(2, "b", t), entry(3, "c", t), entry(4, "d", t), entry(5, "e", t))));
            assertFalse(s.recordDecision(entry(5, "e", t)));
            assertEquals(5, s.lastSeq());
            assertTrue(s.recordDecision(new AuditEntry(0, "", "a", t, "note", "no seq", "", "v1", "")));
            assertTrue(s.recordDecision(new AuditEntry(0, "", "a", t, "note", "no seq again", "", "v1", "")));
            assertEquals(3, s.decisions("a").size());
        }
    }

    @Test
    void aDecisionBoundLaterToItsSlurmJobIsFoundByTheJobId() {
        Instant t = Instant.ofEpochSecond(1000);
        try (Store s = Store.open(url())) {
            s.recordDecision(new AuditEntry(7, "d7", "", t, "admit", "fits", "vm:g0 mps=20 mem=1024", "v1", "{}"));
            s.recordDecision(new AuditEntry(8, "d8", "", t, "reject", "other job", "", "v1", "{}"));
            s.recordDecision(new AuditEntry(9, "d7", "4242", t.plusMillis(3), "bind", "slurm job id", "", "v1", ""));
            List<AuditEntry> about = s.decisions("4242");
            assertEquals(List.of("admit", "bind"), about.stream().map(AuditEntry::kind).toList());
            assertEquals(List.of(), s.decisions("4243"));
        }
    }

    @Test
    void loadHistoryIsAHalfOpenWindowPerService() {
        Instant t = Instant.ofEpochSecond(5000);
        try (Store s = Store.open(url())) {
            List<LoadSample> samples = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                samples.add(new LoadSample("web", "vm:g0", t.plusSeconds(i), i, OptionalDouble.empty()));
                samples.add(new LoadSample("other", "vm:g0", t.plusSeconds(i), 100 + i, OptionalDouble.of(i)));
            }
            s.appendLoad(samples);
            s.appendLoad(new LoadSample("web", "vm:g0", t.plusSeconds(3), 33, OptionalDouble.empty()));
            List<LoadSample> h = s.loadHistory("web", t.plusSeconds(2), t.plusSeconds(5));
            assertEquals(List.of(2.0, 33.0, 4.0), h.stream().map(LoadSample::requestsPerSecond).toList());
        }
    }

    @Test
    void twoConnectionsWriteConcurrentlyAndSeeEachOther() throws Exception {
        try (Store a = Store.open(url()); Store b = Store.open(url())) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            Future<?> fa = pool.submit(() -> write(a, 1, 200));
            Future<?> fb = pool.submit(() -> write(b, 1001, 200));
            fa.get(60, TimeUnit.SECONDS);
            fb.get(60, TimeUnit.SECONDS);
            pool.shutdown();
            assertEquals(1200, a.lastSeq());
            assertEquals(1, b.decisions("job1").size());
            assertEquals(1, a.decisions("job1200").size());
        }
    }

    private static void write(Store s, long first, int n) {
        for (long seq = first; seq < first + n; seq++) {
            s.recordDecision(entry(seq, "job" + seq, Instant.ofEpochMilli(seq)));
        }
    }

    @Test
    void valuesThatDoNotFitAColumnAreRefusedBeforeTheDatabase() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AuditEntry(1, "d1", "j",
                Instant.EPOCH, "admit", "x".repeat(4001), "", "v", ""));
        assertEquals("reason must be 0..4000 characters, got 4001", e.getMessage());
    }
}
