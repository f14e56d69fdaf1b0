package io.gpucolo.sim.traces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PaiTraceReaderTest {
    static Path resource(String name) {
        return Path.of("src/test/resources/sim", name);
    }

    @Test
    void badRowsAreReportedWithFileAndLineAndSkipped() {
        TraceIssues issues = new TraceIssues(false);
        TaskTable t = new PaiTraceReader(TraceOptions.defaults(), issues).read(List.of(resource("bad_task_table.csv")));
        assertEquals(5, issues.badRows());
        List<String> m = issues.messages();
        assertTrue(m.get(0).endsWith("bad_task_table.csv:2: expected 10 columns (pai_task_table), got 8"), m.get(0));
        assertTrue(m.get(1).contains(":3: column 5 is not a number: 'abc'"), m.get(1));
        assertTrue(m.get(2).contains(":4: end time 400 before start time 500"), m.get(2));
        assertTrue(m.get(3).contains(":5: negative plan_gpu -5"), m.get(3));
        assertTrue(m.get(4).contains(":6: unknown GPU type 'H800'"), m.get(4));
        assertEquals(1L, issues.filteredByReason().get("task status Failed"));
        assertEquals(1L, issues.filteredByReason().get("no GPU requested"));
        // j1: one piece; j9: one inference piece; j10: 2 instances x 3 pieces of 100% (300% over 40 GB)
        assertEquals(8, t.size());
        assertEquals(1, t.count(TaskTable.INFERENCE));
        int pieces = 0;
        for (int i = 0; i < t.size(); i++) {
            if (t.jobName(i).equals("j10")) {
                pieces++;
                assertEquals(100, t.share(i));
                assertEquals(13654, t.memoryMiB(i));
                assertEquals(300, t.start(i));
            }
        }
        assertEquals(6, pieces);
        for (int i = 1; i < t.size(); i++) {
            assertTrue(t.start(i - 1) <= t.start(i), "sorted by start");
        }
    }

    @Test
    void strictMakesTheFirstBadRowFatal() {
        TraceException e = assertThrows(TraceException.class, () -> new PaiTraceReader(TraceOptions.defaults(),
                new TraceIssues(true)).read(List.of(resource("bad_task_table.csv"))));
        assertTrue(e.getMessage().contains("bad_task_table.csv:2: expected 10 columns"), e.getMessage());
    }

    @Test
    void missingAndEmptyFilesAreClearErrors(@TempDir Path dir) throws IOException {
        TraceException missing = assertThrows(TraceException.class, () -> new PaiTraceReader(TraceOptions.defaults(),
                new TraceIssues(false)).read(List.of(dir.resolve("pai_task_table.csv"))));
        assertTrue(missing.getMessage().endsWith("pai_task_table.csv: no such file"), missing.getMessage());
        Path empty = Files.createFile(dir.resolve("pai_task_table.csv"));
        TraceException e = assertThrows(TraceException.class, () -> new PaiTraceReader(TraceOptions.defaults(),
                new TraceIssues(false)).read(List.of(empty)));
        assertTrue(e.getMessage().endsWith("empty file"), e.getMessage());
    }

    @Test
    void aTraceWithOnlyBadRowsIsRefusedNotEmptyResult(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("pai_task_table.csv"), "a,b,c\n");
        TraceException e = assertThrows(TraceException.class, () -> new PaiTraceReader(TraceOptions.defaults(),
                new TraceIssues(false)).read(List.of(f)));
        assertTrue(e.getMessage().startsWith("no usable task"), e.getMessage());
    }

    @Test
    void jobTableDropsTasksOfFailedJobs(@TempDir Path dir) throws IOException {
        Path tasks = Files.writeString(dir.resolve("pai_task_table.csv"),
                "a,worker,1,Terminated,0,10,600,1,50,\nb,worker,1,Terminated,0,10,600,1,50,\n");
        Path jobs = Files.writeString(dir.resolve("pai_job_table.csv"), "a,i1,u1,Terminated,0,10\nb,i2,u1,Failed,0,10\n");
        TraceIssues issues = new TraceIssues(false);
        TaskTable t = new PaiTraceReader(TraceOptions.defaults(), issues).read(List.of(jobs, tasks));
        assertEquals(1, t.size());
        assertEquals("a", t.jobName(0));
        assertEquals(1L, issues.filteredByReason().get("job not Terminated"));
    }

    @Test
    void labelingRulesAreConfigurable() {
        LabelRules r = LabelRules.DEFAULT;
        assertEquals(TaskTable.INFERENCE, r.paiKind("inference", 4, 100));
        assertEquals(TaskTable.TRAINING, r.paiKind("worker", 1, 10));
        assertEquals(TaskTable.INFERENCE, r.paiKind("tensorflow", 1, 50));
        assertEquals(TaskTable.TRAINING, r.paiKind("tensorflow", 1, 51));
        assertEquals(TaskTable.TRAINING, r.paiKind("tensorflow", 2, 10));
        LabelRules strictShare = new LabelRules(r.inferenceTasks(), r.trainingTasks(), 20, 1, r.inferenceQos());
        assertEquals(TaskTable.TRAINING, strictShare.paiKind("tensorflow", 1, 50));
        assertEquals(TaskTable.INFERENCE, r.openbKind("LS"));
        assertEquals(TaskTable.TRAINING, r.openbKind("BE"));
    }
}
