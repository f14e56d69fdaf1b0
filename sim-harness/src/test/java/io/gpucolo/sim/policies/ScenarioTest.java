package io.gpucolo.sim.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpucolo.sim.engine.Simulation;
import io.gpucolo.sim.metrics.RunResult;
import io.gpucolo.sim.traces.TaskTable;
import org.junit.jupiter.api.Test;

/**
 * A tiny datacenter with exact outcomes. tiny.csv: inf-a 0-100 s 50%, inf-b 10-60 s 30%, train-a 20-80 s 50%,
 * train-b 30-50 s 100%.
 */
class ScenarioTest {
    static Simulation.Outcome run(PolicyKind p, int capacity) {
        return new Simulation(Fixtures.tiny(), Fixtures.setup(capacity)).run(p, null, () -> 0L);
    }

    @Test
    void dedicatedGivesEachTaskAGpu() {
        RunResult r = run(PolicyKind.DEDICATED, 0).result();
        assertEquals(2.3, r.avgGpus(), 1e-9);     // (100 + 50 + 60 + 20) GPU-s over 100 s
        assertEquals(4, r.peakGpus());
        assertEquals(1.0, r.meanSlowdown(), 1e-9);
        assertEquals(0, r.jobTailViolation());
    }

    @Test
    void firstFitPacksTheTwoInferenceTasksAndOpensGpusForTraining() {
        Simulation.Outcome o = run(PolicyKind.FIRST_FIT, 0);
        TaskTable t = Fixtures.tiny();
        assertEquals(1.8, o.result().avgGpus(), 1e-9);   // 20x1 + 10x2 + 20x3 + 30x2 + 20x1 = 180 GPU-s
        assertEquals(3, o.result().peakGpus());
        assertEquals(o.gpu()[0], o.gpu()[1], "inf-a and inf-b share a GPU");
        assertTrue(o.gpu()[2] != o.gpu()[0] && o.gpu()[3] != o.gpu()[2], "train-a does not fit beside 80%");
        for (int i = 0; i < t.size(); i++) {
            assertEquals(t.end(i) * 1000, o.finishedMs()[i], "uncontrolled first-fit keeps every trace end");
        }
    }

    @Test
    void gsliceSharesInferenceOnly() {
        RunResult r = run(PolicyKind.GSLICE, 0).result();
        assertEquals(1.8, r.avgGpus(), 1e-9);
        assertEquals(3, r.peakGpus());
    }

    @Test
    void aFullClusterQueuesTrainingInOrder() {
        Simulation.Outcome o = run(PolicyKind.DEDICATED, 2);
        RunResult r = o.result();
        // train-a waits for inf-b (60 s), train-b for inf-a (100 s); both end at 120 s
        assertEquals(120_000, o.finishedMs()[2]);
        assertEquals(120_000, o.finishedMs()[3]);
        assertEquals(55.0, r.meanQueueS(), 1e-9);
        assertEquals(70.0, r.maxQueueS(), 1e-9);
        assertEquals((100.0 / 60 + 90.0 / 20) / 2, r.meanSlowdown(), 1e-6);
        assertEquals(1.9, r.avgGpus(), 1e-9);            // over the trace's 100 s: 10 x 1 + 90 x 2
        assertEquals(2, r.peakGpus());
    }

    @Test
    void separatePoolsAreBoughtForThePeak() {
        RunResult r = run(PolicyKind.SEPARATE, 0).result();
        // peak concurrent inference 2 -> inference pool 2, training pool ceil(2/5) = 1: train-b waits for train-a
        assertEquals(3, r.peakGpus());
        assertEquals(3.0, r.avgGpus(), 1e-9);
        assertEquals(25.0, r.meanQueueS(), 1e-9);        // train-b waits 30 -> 80
    }

    @Test
    void controlThrottlesTrainingAndNeverViolatesMoreThanUncontrolledPacking() {
        RunResult ff = run(PolicyKind.FIRST_FIT, 0).result();
        for (PolicyKind p : new PolicyKind[] {PolicyKind.PAPER, PolicyKind.HEADROOM}) {
            RunResult r = run(p, 0).result();
            assertTrue(r.meanSlowdown() >= 1.0, p + " slowdown " + r.meanSlowdown());
            assertTrue(r.windowTailViolation() <= ff.windowTailViolation() + 1e-9,
                    p + " " + r.windowTailViolation() + " vs first-fit " + ff.windowTailViolation());
        }
    }

    @Test
    void aLoadSeriesChangesLatencyAtItsWindowsAndRunsAreReproducible() {
        io.gpucolo.sim.engine.SimSetup flat = Fixtures.setup(0);
        io.gpucolo.sim.engine.SimSetup bursty = new io.gpucolo.sim.engine.SimSetup(Fixtures.plant(),
                new io.gpucolo.sim.traces.LoadSeries(25, new double[] {0.2, 3.8}), flat.gpuMemMiB(), 0, flat.admission());
        RunResult a = new Simulation(Fixtures.tiny(), bursty).run(PolicyKind.FIRST_FIT, null, () -> 0L).result();
        RunResult b = new Simulation(Fixtures.tiny(), new io.gpucolo.sim.engine.SimSetup(Fixtures.plant(),
                bursty.load(), flat.gpuMemMiB(), 0, flat.admission())).run(PolicyKind.FIRST_FIT, null, () -> 0L).result();
        RunResult f = new Simulation(Fixtures.tiny(), flat).run(PolicyKind.FIRST_FIT, null, () -> 0L).result();
        assertEquals(f.events() + 3, a.events(), "load windows at 25, 50, 75 s (the run ends at 100 s, ends first)");
        assertEquals(a.windowTailViolation(), b.windowTailViolation(), 0.0);
        assertEquals(a.windowMeanViolation(), b.windowMeanViolation(), 0.0);
        assertEquals(0.0, f.windowTailViolation(), 0.0);
        assertTrue(a.windowTailViolation() > 0.25, "the 3.8x windows push p99 over the SLO: " + a.windowTailViolation());
    }
}
