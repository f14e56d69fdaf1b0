package io.gpucolo.sim.policies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gpucolo.admission.latency.CalibratedLatencyModel;
import io.gpucolo.admission.policy.Policy;
import io.gpucolo.sim.engine.AdmissionFactory;
import io.gpucolo.sim.engine.EventQueue;
import io.gpucolo.sim.engine.SimSetup;
import io.gpucolo.sim.engine.Simulation;
import io.gpucolo.sim.metrics.Recorder;
import io.gpucolo.sim.plant.GpuPlant;
import io.gpucolo.sim.traces.LoadSeries;
import io.gpucolo.sim.traces.OwnCsvReader;
import io.gpucolo.sim.traces.TaskTable;
import io.gpucolo.sim.traces.TraceIssues;
import io.gpucolo.sim.traces.TraceOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The admission mirror of policy {@code headroom}: it grows with the inference GPUs, and plans with a forecast. */
class AdmissionMirrorTest {
    static TaskTable read(String file) {
        return new OwnCsvReader(TraceOptions.defaults(), new TraceIssues(true)).read(Path.of("src/test/resources/sim/" + file));
    }

    /**
     * grow.csv: inf-a (0-100 s, 50%, 31,500 MiB: no memory left for a guest) opens shared GPU slot 0, the only GPU
     * the mirror starts with; inf-b (10-60 s, 10%, 2,000 MiB) does not fit beside it in memory and opens slot 1 after
     * the start; train-a (20-50 s, 20%) can only go beside inf-b. It must land there (GPU 2 = slot 1 of the shared
     * pool), not on a training-only GPU (GPU 1), and run at full speed: 2 GPUs from 10 to 60 s, 1 otherwise. The
     * SLOs are twice each task's latency alone on its slice (SLO factor 0.5): with the paper's 0.96 the site
     * policy's 10% SLO margin leaves no room for training beside any inference task (see docs/SIMULATOR.md).
     */
    @Test
    void trainingLandsOnAnInferenceGpuOpenedAfterTheStart() {
        AdmissionPlacer[] made = new AdmissionPlacer[1];
        AdmissionFactory inner = AdmissionPlacer.factory(Policy.defaults(), CalibratedLatencyModel.builtIn(), 8, 1);
        AdmissionFactory spy = (dc, t, s) -> made[0] = (AdmissionPlacer) inner.create(dc, t, s);
        CalibratedLatencyModel m = CalibratedLatencyModel.builtIn();
        GpuPlant loose = new GpuPlant(m, "A100-80GB", m.models(), 8, 0.5, 0.5, 1);
        SimSetup setup = new SimSetup(loose, LoadSeries.FLAT, 32 * 1024, 0, spy);
        Simulation.Outcome o = new Simulation(read("grow.csv"), setup).run(PolicyKind.HEADROOM, null, () -> 0L);

        assertArrayEquals(new int[] {0, 2, 2}, o.gpu(), "inf-a on slot 0, inf-b and train-a on slot 1 of the shared pool");
        assertArrayEquals(new long[] {100_000, 60_000, 50_000}, o.finishedMs());
        assertEquals(1, made[0].decisions());
        assertEquals(1, made[0].admitted());
        assertEquals(2, made[0].mirroredGpus(), "the mirror grew from 1 to 2 GPUs when slot 1 opened");
        assertEquals(1, made[0].rebuilds());
        assertEquals(2, o.result().peakGpus());
        assertEquals(1.5, o.result().avgGpus(), 1e-9);     // (100 + 50) GPU-s over 100 s
    }

    /**
     * A load series alternating 0.5 and 1.5 every 600 s: admission plans at the nominal load before any window has
     * been seen, then at the forecast (recent peak over 30 min) of the windows seen so far: 0.5 after the first
     * window, 1.5 once a 1.5 window has been seen, and it stays there while the 1.5 is in the recent window.
     */
    @Test
    void admissionPlansWithTheForecastNotThePeak() {
        TaskTable t = read("tiny.csv");
        LoadSeries load = new LoadSeries(600, new double[] {0.5, 1.5});
        GpuPlant plant = Fixtures.plant();
        Recorder rec = new Recorder(0, 3_000_000);
        Datacenter dc = new Datacenter(t, PolicyKind.HEADROOM, plant, load, rec, new EventQueue(), 32 * 1024, 0, null);
        SimSetup setup = new SimSetup(plant, load, 32 * 1024, 0, null);
        AdmissionPlacer placer = (AdmissionPlacer) AdmissionPlacer.factory(Policy.defaults(),
                CalibratedLatencyModel.builtIn(), 8).create(dc, t, setup);
        dc.placer(placer);
        dc.arrive(0, 0);                       // inf-a, 50%: nominal rate 0.5 x 0.5 x capacity = 50 steps of 0.5%
        double capacity = plant.capacity(dc.service[0]);
        assertEquals(capacity * 50 / 200, placer.plannedRps(0), 1e-9, "no history yet: nominal load");
        dc.loadStep(600_000);
        assertEquals(capacity * 25 / 200, placer.plannedRps(0), 1e-9, "window 0 carried 0.5");
        dc.loadStep(1_200_000);
        assertEquals(capacity * 75 / 200, placer.plannedRps(0), 1e-9, "window 1 carried 1.5");
        dc.loadStep(1_800_000);
        assertEquals(capacity * 75 / 200, placer.plannedRps(0), 1e-9, "1.5 is still within the 30-min recent window");
    }
}
