package io.gpucolo.sim.engine;

import io.gpucolo.sim.policies.Datacenter;
import io.gpucolo.sim.policies.TrainingPlacer;
import io.gpucolo.sim.traces.TaskTable;

/** Builds the admission-pipeline placer for one run of the {@code headroom} policy. */
@FunctionalInterface
public interface AdmissionFactory {
    TrainingPlacer create(Datacenter datacenter, TaskTable tasks, SimSetup setup);
}
