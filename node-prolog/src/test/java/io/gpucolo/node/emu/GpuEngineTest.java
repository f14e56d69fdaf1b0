package io.gpucolo.node.emu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GpuEngineTest {
    private static final double EPS = 1e-9;

    private static GpuEngine engine() {
        return new GpuEngine(new ContentionLaw(new PlaceholderLatencyModel(), "RTX3090"), 24_576);
    }

    private static GpuEngine.ClientSpec infer(String ctx) {
        return new GpuEngine.ClientSpec(ClientKind.INFER, ctx, 100, "resnet50", 8, 2048, 11);
    }

    private static GpuEngine.ClientSpec train(String ctx, int cap) {
        return new GpuEngine.ClientSpec(ClientKind.TRAIN, ctx, cap, "train", 1, 4096, 22);
    }

    @Test
    void inferenceBatchAloneTakesTheModelsSoloTime() {
        GpuEngine e = engine();
        int i = e.attach(infer("mps:a"));
        assertEquals(6.0, e.submitBatch(i, 1, 8, 0), EPS); // 2 + 0.5 * 8
        List<GpuEngine.Completion> done = e.advanceTo(100);
        assertEquals(1, done.size());
        assertEquals(6.0, done.get(0).finishedMs(), EPS);
    }

    @Test
    void trainingAloneRunsLinearInItsCap() {
        GpuEngine e = engine();
        int t = e.attach(train("mps:a", 50));
        e.submitWork(t, 1, 100, 0);
        assertEquals(200.0, e.nextCompletionMs(), EPS);
    }

    @Test
    void coRunningTrainingSlowsInferenceByTheModelsFactor() {
        GpuEngine e = engine();
        int t = e.attach(train("mps:a", 50));
        int i = e.attach(infer("mps:a"));
        e.submitWork(t, 1, 100, 0);
        e.submitBatch(i, 2, 8, 0);
        List<GpuEngine.Completion> first = e.advanceTo(10);
        // slowdown = 1 + 0.9 * 50/100 = 1.45: 6 ms becomes 8.7 ms
        assertEquals(8.7, first.get(0).finishedMs(), EPS);
        // training ran at 0.5 / 1.45 for 8.7 ms (3 ms of work), then 97 ms of work at 0.5
        assertEquals(8.7 + 194.0, e.nextCompletionMs(), EPS);
    }

    @Test
    void separateContextsAreTimeSliced() {
        GpuEngine e = engine();
        int i = e.attach(infer("mps:a"));
        int t = e.attach(train("native:7", 100));
        e.submitBatch(i, 1, 8, 0);
        e.submitWork(t, 2, 10, 0);
        List<GpuEngine.Completion> done = e.advanceTo(100);
        assertEquals(12.0, done.get(0).finishedMs(), EPS); // half the GPU: 6 ms of work in 12 ms
        assertEquals(16.0, done.get(1).finishedMs(), EPS); // 6 of 10 done at 12 ms, then 4 ms alone
    }

    @Test
    void queuedKernelsDrainInOrderWithoutTheClientDoingAnything() {
        GpuEngine e = engine();
        int t = e.attach(train("mps:a", 100));
        for (int k = 1; k <= 3; k++) {
            e.submitWork(t, k, 10, 0);
        }
        List<GpuEngine.Completion> done = e.advanceTo(1000);
        assertEquals(3, done.size());
        assertEquals(30.0, done.get(2).finishedMs(), EPS);
        assertEquals(20.0, done.get(2).startedMs(), EPS);
        assertEquals(30.0, done.get(2).latencyMs(), EPS);
    }

    @Test
    void memoryIsRefusedWhenFull() {
        GpuEngine e = new GpuEngine(new ContentionLaw(new PlaceholderLatencyModel(), "x"), 5000);
        e.attach(train("mps:a", 100));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> e.attach(train("mps:a", 10)));
        assertTrue(ex.getMessage().contains("out of memory"), ex.getMessage());
    }
}
