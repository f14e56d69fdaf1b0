package io.gpucolo.admission.plugins;

import io.gpucolo.admission.pipeline.Capacity;
import io.gpucolo.admission.state.GpuState;

/**
 * Capacity of policy {@code static-share}: a fixed split, whatever the load (no latency model, no control).
 * <pre>
 *   capacity(gpu) = split if the GPU has an inference service, else ceiling
 * </pre>
 */
final class StaticShareCapacity implements Capacity {
    private final int splitPercent;
    private final int ceiling;

    StaticShareCapacity(int splitPercent, int ceilingPercent) {
        if (splitPercent < 0 || splitPercent > 100) {
            throw new IllegalArgumentException("static share must be 0..100 percent, got " + splitPercent);
        }
        this.splitPercent = splitPercent;
        this.ceiling = ceilingPercent;
    }

    @Override
    public String name() {
        return "static-share";
    }

    @Override
    public int capacityPercent(GpuState gpu) {
        return gpu.hasInference() ? Math.min(splitPercent, ceiling) : ceiling;
    }

    @Override
    public int ceilingPercent() {
        return ceiling;
    }

    @Override
    public String explain(GpuState gpu) {
        return gpu.hasInference() ? "fixed training share " + splitPercent + "% beside inference" : "";
    }
}
