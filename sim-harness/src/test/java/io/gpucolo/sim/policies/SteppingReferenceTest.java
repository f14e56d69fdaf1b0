package io.gpucolo.sim.policies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gpucolo.sim.engine.EventQueue;
import io.gpucolo.sim.engine.SimSetup;
import io.gpucolo.sim.engine.Simulation;
import io.gpucolo.sim.metrics.Recorder;
import io.gpucolo.sim.metrics.RunResult;
import io.gpucolo.sim.synth.PaiSynth;
import io.gpucolo.sim.synth.SynthSpec;
import io.gpucolo.sim.synth.SynthTables;
import io.gpucolo.sim.traces.TaskTable;
import io.gpucolo.sim.traces.TraceIssues;
import io.gpucolo.sim.traces.TraceOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The event engine against a naive reference that steps the clock one second at a time and scans every running
 * task for its end (no event queue): on a small synthetic trace, every task must finish at the same time on the
 * same GPU, and the metrics must agree.
 */
class SteppingReferenceTest {
    static final TaskTable TRACE = SynthTables.inMemory(new PaiSynth(new SynthSpec(0.002, 4, 11, 0.75)),
            TraceOptions.defaults(), new TraceIssues(true));

    @ParameterizedTest
    @CsvSource({"dedicated,0", "first-fit,0", "gslice,0", "separate-5to1,0", "first-fit,12", "dedicated,20", "gslice,15"})
    void engineMatchesOneSecondStepping(String policy, int capacity) {
        PolicyKind p = PolicyKind.parse(policy);
        SimSetup setup = Fixtures.setup(capacity);
        Simulation.Outcome engine = new Simulation(TRACE, setup).run(p, null, () -> 0L);
        Reference ref = reference(p, Fixtures.setup(capacity));
        assertArrayEquals(ref.finished, engine.finishedMs(), "finish time of every task");
        assertArrayEquals(ref.gpu, engine.gpu(), "GPU of every task");
        RunResult a = engine.result();
        assertEquals(ref.result.avgGpus(), a.avgGpus(), 1e-9);
        assertEquals(ref.result.peakGpus(), a.peakGpus());
        assertEquals(ref.result.meanQueueS(), a.meanQueueS(), 1e-9);
        assertEquals(ref.result.windowTailViolation(), a.windowTailViolation(), 1e-12);
        assertEquals(ref.result.jobTailViolation(), a.jobTailViolation(), 1e-12);
    }

    record Reference(long[] finished, int[] gpu, RunResult result) {
    }

    /** One-second stepping: at each second, end what ends (by task index), then admit what arrives. */
    static Reference reference(PolicyKind p, SimSetup setup) {
        TaskTable t = TRACE;
        int n = t.size();
        long origin = t.start(0);
        Recorder rec = new Recorder(origin * 1000, t.span()[1] * 1000);
        int[] provision = null;
        if (p == PolicyKind.SEPARATE) {
            int inf = setup.capacity() > 0 ? Math.max(1, setup.capacity() * 5 / 6) : Math.max(1, t.peakConcurrent(TaskTable.INFERENCE));
            provision = new int[] {inf, setup.capacity() > 0 ? Math.max(1, setup.capacity() - inf) : Math.max(1, (inf + 4) / 5)};
        }
        Datacenter dc = new Datacenter(t, p, setup.plant(), setup.load(), rec, new EventQueue(), setup.gpuMemMiB(),
                setup.capacity(), provision);
        long[] finished = new long[n];
        int[] gpu = new int[n];
        int next = 0;
        int done = 0;
        long sec = origin;
        while (done < n) {
            long now = sec * 1000;
            for (int i = 0; i < n; i++) {
                if (dc.gpu[i] >= 0 && dc.endMs[i] == now) {
                    int g = dc.gpu[i];
                    dc.end(i, now);
                    finished[i] = now;
                    gpu[i] = g;
                    done++;
                }
            }
            while (next < n && t.start(next) == sec) {
                dc.arrive(next++, now);
            }
            sec++;
        }
        return new Reference(finished, gpu, rec.finish(p.key(), (sec - 1) * 1000, 0, 0, 0, 0));
    }
}
