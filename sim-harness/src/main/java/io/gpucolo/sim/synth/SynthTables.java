package io.gpucolo.sim.synth;

import io.gpucolo.sim.traces.PaiTraceReader;
import io.gpucolo.sim.traces.TaskTable;
import io.gpucolo.sim.traces.TraceIssues;
import io.gpucolo.sim.traces.TraceOptions;

/**
 * Builds the {@link TaskTable} of a synthetic trace in memory, with exactly the reader's filtering,
 * labeling and splitting ({@link PaiTraceReader#addTask}), for benchmarks that should not time CSV parsing.
 */
public final class SynthTables {
    private SynthTables() {
    }

    public static TaskTable inMemory(PaiSynth synth, TraceOptions options, TraceIssues issues) {
        TaskTable.Builder b = new TaskTable.Builder(options.gpuTypes(), options.keepNames());
        synth.generate((job, task, inst, status, start, end, mem, gpu, type, user, util) -> {
            if (!status.equals("Terminated")) {
                issues.filtered("task status " + status);
            } else if (Double.isNaN(gpu)) {
                issues.filtered("no GPU requested");
            } else if (end == start) {
                issues.filtered("zero duration");
            } else {
                int t = options.gpuTypes().indexOf(type);
                if (t < 0) {
                    issues.bad("(generated)", 0, "unknown GPU type '" + type + "'");
                } else {
                    PaiTraceReader.addTask(b, options, job, task, inst, start, end, gpu, mem, t);
                }
            }
        });
        return b.build();
    }
}
