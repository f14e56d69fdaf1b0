package io.gpucolo.sim.engine;

import io.gpucolo.sim.plant.GpuPlant;
import io.gpucolo.sim.traces.LoadSeries;
import java.util.Objects;

/**
 * Everything a run needs besides the workload and the policy.
 *
 * @param plant       the GPU model
 * @param load        inference load shape over time
 * @param gpuMemMiB   memory of one GPU, MiB (packing)
 * @param capacity    GPUs in the cluster (a hard limit; jobs queue), or 0 to open GPUs on demand (the paper)
 * @param admission   builds the admission pipeline for the {@code headroom} policy (null: the policy is refused)
 */
public record SimSetup(GpuPlant plant, LoadSeries load, int gpuMemMiB, int capacity, AdmissionFactory admission) {
    public SimSetup {
        Objects.requireNonNull(plant, "plant");
        Objects.requireNonNull(load, "load");
        if (gpuMemMiB <= 0 || capacity < 0) {
            throw new IllegalArgumentException("need GPU memory > 0 and capacity >= 0");
        }
    }
}
