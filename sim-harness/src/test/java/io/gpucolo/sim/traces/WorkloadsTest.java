package io.gpucolo.sim.traces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WorkloadsTest {
    static TaskTable table(int inference, int training) {
        TaskTable.Builder b = new TaskTable.Builder(TraceOptions.PAI_GPU_TYPES, true);
        for (int i = 0; i < inference; i++) {
            b.add(i * 86_400L, i * 86_400L + 100, 10, 1, TaskTable.INFERENCE, 0, b.job("i" + i));
        }
        for (int i = 0; i < training; i++) {
            b.add(i * 3_600L, i * 3_600L + 100, 50, 1, TaskTable.TRAINING, 0, b.job("t" + i));
        }
        return b.build();
    }

    @Test
    void burstDuplicatesInferenceArrivingInTheWindowOnly() {
        TaskTable t = table(60, 5);
        TaskTable b = Workloads.burst(t, 20, 40);
        assertEquals(t.size() + 20, b.size());           // days 20..39 each have one inference arrival
        assertEquals(80, b.count(TaskTable.INFERENCE));
        assertEquals(5, b.count(TaskTable.TRAINING));
    }

    @Test
    void ratioDropsTheKindInExcessReproducibly() {
        TaskTable t = table(300, 300);
        TraceIssues issues = new TraceIssues(false);
        TaskTable r = Workloads.ratio(t, 3, 1, 42, issues);
        assertEquals(300, r.count(TaskTable.INFERENCE));
        double ratio = r.count(TaskTable.INFERENCE) / (double) r.count(TaskTable.TRAINING);
        assertEquals(3.0, ratio, 0.6);
        TaskTable again = Workloads.ratio(t, 3, 1, 42, new TraceIssues(false));
        assertEquals(r.size(), again.size());
        assertEquals(t.size() - r.size(), issues.filteredByReason().get("dropped for the inference:training ratio 3:1"));
        TaskTable atRatio = table(30, 10);
        assertSame(atRatio, Workloads.ratio(atRatio, 3, 1, 42, new TraceIssues(false)));
        assertThrows(TraceException.class, () -> Workloads.ratio(table(5, 0), 3, 1, 1, new TraceIssues(false)));
    }
}
