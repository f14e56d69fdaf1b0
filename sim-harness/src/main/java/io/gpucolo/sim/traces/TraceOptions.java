package io.gpucolo.sim.traces;

import java.util.List;
import java.util.Objects;

/**
 * How to read a workload.
 *
 * @param rules     inference/training labeling rules
 * @param gpuMemMiB memory of one GPU for splitting tasks into pieces (the paper: 32 GB)
 * @param gpuTypes  the GPU type names a task may ask for; a task naming another type is a bad row. Index 0
 *                  is {@code ""} (no type asked). From {@code --cluster} when given, else the PAI 2020 types.
 * @param keepNames keep job names (for reports); generated benchmark tables leave them out
 */
public record TraceOptions(LabelRules rules, long gpuMemMiB, List<String> gpuTypes, boolean keepNames) {
    public static final List<String> PAI_GPU_TYPES = List.of("", "MISC", "P100", "T4", "V100", "V100M32");
    public static final long PAPER_GPU_MEM_MIB = 32L * 1024;

    public TraceOptions {
        Objects.requireNonNull(rules, "rules");
        gpuTypes = List.copyOf(gpuTypes);
        if (gpuTypes.isEmpty() || !gpuTypes.get(0).isEmpty()) {
            throw new IllegalArgumentException("GPU type list must start with \"\"");
        }
        if (gpuMemMiB <= 0) {
            throw new IllegalArgumentException("GPU memory must be positive, got " + gpuMemMiB + " MiB");
        }
    }

    public static TraceOptions defaults() {
        return new TraceOptions(LabelRules.DEFAULT, PAPER_GPU_MEM_MIB, PAI_GPU_TYPES, true);
    }
}
