package io.gpucolo.sim.traces;

import java.nio.file.Path;

/**
 * The project's own workload CSV, for hand-written scenarios: header
 * {@code name,kind,start_s,end_s,gpu_percent,mem_mib,gpu_type}; {@code kind} is {@code inference} or
 * {@code training}; {@code gpu_percent} is 1..100 of one GPU (one row is one GPU piece: larger tasks are
 * written as several rows); {@code gpu_type} may be empty.
 */
public final class OwnCsvReader {
    public static final String HEADER = "name,kind,start_s,end_s,gpu_percent,mem_mib,gpu_type";

    private final TraceOptions options;
    private final TraceIssues issues;

    public OwnCsvReader(TraceOptions options, TraceIssues issues) {
        this.options = options;
        this.issues = issues;
    }

    public TaskTable read(Path f) {
        TaskTable.Builder b = new TaskTable.Builder(options.gpuTypes(), options.keepNames());
        Lines.withHeader(f, HEADER, (row, line) -> row(row, f.toString(), line, b));
        if (b.size() == 0) {
            throw new TraceException("no usable task in " + f + " (" + issues.badRows() + " bad rows)");
        }
        return b.build();
    }

    private void row(CsvRow row, String file, long line, TaskTable.Builder b) {
        if (row.size() != 7) {
            issues.bad(file, line, "expected 7 columns (" + HEADER + "), got " + row.size());
            return;
        }
        byte kind;
        if (row.is(1, "inference")) {
            kind = TaskTable.INFERENCE;
        } else if (row.is(1, "training")) {
            kind = TaskTable.TRAINING;
        } else {
            issues.bad(file, line, "column 2 (kind) must be inference or training, got '" + row.text(1) + "'");
            return;
        }
        double[] v = new double[4];
        for (int c = 2; c <= 5; c++) {
            try {
                v[c - 2] = row.number(c);
            } catch (NumberFormatException e) {
                issues.bad(file, line, "column " + (c + 1) + " is not a number: '" + row.text(c) + "'");
                return;
            }
        }
        if (v[0] < 0 || v[1] < v[0]) {
            issues.bad(file, line, v[0] < 0 ? "negative start" : "end_s " + (long) v[1] + " before start_s " + (long) v[0]);
            return;
        }
        if (v[2] <= 0 || v[2] > 100) {
            issues.bad(file, line, "gpu_percent must be in 1..100, got " + v[2]);
            return;
        }
        if (v[3] < 0 || v[3] > options.gpuMemMiB()) {
            issues.bad(file, line, "mem_mib must be in 0.." + options.gpuMemMiB() + " (one GPU), got " + (long) v[3]);
            return;
        }
        int type = options.gpuTypes().indexOf(row.text(6));
        if (type < 0) {
            issues.bad(file, line, "unknown GPU type '" + row.text(6) + "'");
            return;
        }
        if ((long) v[1] == (long) v[0]) {
            issues.filtered("zero duration");
            return;
        }
        b.add((long) v[0], (long) v[1], (int) Math.ceil(v[2]), (int) v[3], kind, type, b.job(row.text(0)));
    }
}
