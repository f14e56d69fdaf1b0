package io.gpucolo.sim.policies;

import io.gpucolo.admission.latency.CalibratedLatencyModel;
import io.gpucolo.admission.policy.Policy;
import io.gpucolo.sim.engine.SimSetup;
import io.gpucolo.sim.plant.GpuPlant;
import io.gpucolo.sim.traces.LoadSeries;
import io.gpucolo.sim.traces.OwnCsvReader;
import io.gpucolo.sim.traces.TaskTable;
import io.gpucolo.sim.traces.TraceIssues;
import io.gpucolo.sim.traces.TraceOptions;
import java.nio.file.Path;

/** Shared test fixtures: the real calibrated model, the tiny scenario, setups. */
final class Fixtures {
    private Fixtures() {
    }

    static GpuPlant plant() {
        CalibratedLatencyModel m = CalibratedLatencyModel.builtIn();
        return new GpuPlant(m, "A100-80GB", m.models(), 8, 0.5, 0.96, 1);
    }

    static SimSetup setup(int capacity) {
        return new SimSetup(plant(), LoadSeries.FLAT, 32 * 1024, capacity,
                AdmissionPlacer.factory(Policy.defaults(), CalibratedLatencyModel.builtIn(), 8));
    }

    static TaskTable tiny() {
        return new OwnCsvReader(TraceOptions.defaults(), new TraceIssues(true)).read(Path.of("src/test/resources/sim/tiny.csv"));
    }
}
