package io.gpucolo.sim.traces;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the Alibaba GPU trace 2023 ("openb"): the node list ({@code sn,cpu_milli,memory_mib,gpu,model}) as a
 * {@link ClusterSpec}, and the pod list as tasks. A pod arrives at {@code creation_time} and runs for
 * {@code deletion_time - scheduled_time} at its share: {@code gpu_milli / 10} percent for a one-GPU pod
 * ({@code gpu_milli} must be 1..1000), or {@code num_gpu} whole GPUs. Pods never scheduled or never deleted
 * are left out (counted). {@code gpu_spec} must name known GPU models. GPU memory is not in the trace: pods
 * are packed on share only. Labeled by {@link LabelRules#openbKind}.
 */
public final class OpenbReader {
    static final String NODE_HEADER = "sn,cpu_milli,memory_mib,gpu,model";
    static final String POD_HEADER = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,"
            + "creation_time,deletion_time,scheduled_time";

    private final TraceOptions options;
    private final TraceIssues issues;

    public OpenbReader(TraceOptions options, TraceIssues issues) {
        this.options = options;
        this.issues = issues;
    }

    /** Reads a node list; bad rows are reported like trace rows. */
    public static ClusterSpec readNodes(Path f, TraceIssues issues) {
        Map<String, Integer> byType = new LinkedHashMap<>();
        String file = f.toString();
        Lines.withHeader(f, NODE_HEADER, (row, line) -> node(row, file, line, byType, issues));
        if (byType.isEmpty()) {
            throw new TraceException(f + ": no node with a GPU");
        }
        return new ClusterSpec(byType);
    }

    private static void node(CsvRow row, String file, long line, Map<String, Integer> byType, TraceIssues issues) {
        if (row.size() != 5) {
            issues.bad(file, line, "expected 5 columns (" + NODE_HEADER + "), got " + row.size());
            return;
        }
        int gpus;
        try {
            gpus = (int) row.number(3);
        } catch (NumberFormatException e) {
            issues.bad(file, line, "column 4 (gpu) is not a number: '" + row.text(3) + "'");
            return;
        }
        if (gpus < 0) {
            issues.bad(file, line, "negative GPU count " + gpus);
        } else if (gpus > 0) {
            String model = row.text(4);
            if (model.isEmpty()) {
                issues.bad(file, line, "node with GPUs but no GPU model");
                return;
            }
            byType.merge(model, gpus, Integer::sum);
        }
    }

    public TaskTable readPods(Path f) {
        TaskTable.Builder b = new TaskTable.Builder(options.gpuTypes(), options.keepNames());
        Lines.withHeader(f, POD_HEADER, (row, line) -> pod(row, f.toString(), line, b));
        if (b.size() == 0) {
            throw new TraceException("no usable pod in " + f + " (" + issues.badRows() + " bad rows, left out: "
                    + issues.filteredByReason() + ")");
        }
        return b.build();
    }

    private void pod(CsvRow row, String file, long line, TaskTable.Builder b) {
        if (row.size() != 11) {
            issues.bad(file, line, "expected 11 columns (" + POD_HEADER + "), got " + row.size());
            return;
        }
        int numGpu;
        int milli;
        int col = 3;
        try {
            numGpu = (int) row.number(3);
            col = 4;
            milli = row.isEmpty(4) ? 0 : (int) row.number(4);
        } catch (NumberFormatException e) {
            issues.bad(file, line, "column " + (col + 1) + " is not a number: '" + row.text(col) + "'");
            return;
        }
        if (numGpu < 0 || milli < 0 || milli > 1000) {
            issues.bad(file, line, numGpu < 0 ? "negative num_gpu " + numGpu
                    : "gpu_milli must be 0..1000 (thousandths of one GPU), got " + milli);
            return;
        }
        if (numGpu == 0 || (numGpu == 1 && milli == 0)) {
            issues.filtered("no GPU requested");
            return;
        }
        int type = 0;
        if (!row.isEmpty(5)) {
            for (String model : row.text(5).split("\\|")) {
                int t = options.gpuTypes().indexOf(model.strip());
                if (t < 0) {
                    issues.bad(file, line, "unknown GPU type '" + model + "' in gpu_spec");
                    return;
                }
                type = type == 0 ? t : type;
            }
        }
        if (row.isEmpty(10) || row.isEmpty(9)) {
            issues.filtered(row.isEmpty(10) ? "never scheduled" : "never deleted");
            return;
        }
        double created;
        double deleted;
        double scheduled;
        col = 8;
        try {
            created = row.number(8);
            col = 9;
            deleted = row.number(9);
            col = 10;
            scheduled = row.number(10);
        } catch (NumberFormatException e) {
            issues.bad(file, line, "column " + (col + 1) + " is not a number: '" + row.text(col) + "'");
            return;
        }
        if (created < 0 || scheduled < created || deleted < scheduled) {
            issues.bad(file, line, deleted < scheduled ? "deletion_time before scheduled_time"
                    : created < 0 ? "negative creation_time" : "scheduled_time before creation_time");
            return;
        }
        long run = (long) deleted - (long) scheduled;
        if (run == 0) {
            issues.filtered("zero duration");
            return;
        }
        byte kind = options.rules().openbKind(row.text(6));
        int job = b.job(row.text(0));
        double share = numGpu == 1 ? milli / 10.0 : numGpu * 100.0;
        Pieces.add(b, (long) created, (long) created + run, share, 0, options.gpuMemMiB(), kind, type, job, 1);
    }
}
