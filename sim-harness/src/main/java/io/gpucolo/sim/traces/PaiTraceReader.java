package io.gpucolo.sim.traces;

import java.io.BufferedReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Alibaba PAI 2020 trace tables (headerless CSV). {@code pai_task_table} is required and gives the
 * tasks; {@code pai_job_table}, when given, drops tasks of jobs that did not terminate normally; {@code
 * pai_instance_table}, when given, replaces {@code inst_num} by the number of instances that actually ran.
 * A table is recognized by its file name ({@code *job_table*}, {@code *task_table*}, {@code *instance_table*})
 * or else by its column count (6, 10, 9).
 *
 * <p>Kept: Terminated tasks with a GPU share above 0 and a positive duration; each instance of each task,
 * split into GPU pieces ({@link Pieces}). Labeled by {@link LabelRules#paiKind}.
 */
public final class PaiTraceReader {
    static final int JOB_COLS = 6;
    static final int TASK_COLS = 10;
    static final int INSTANCE_COLS = 9;

    private final TraceOptions options;
    private final TraceIssues issues;

    public PaiTraceReader(TraceOptions options, TraceIssues issues) {
        this.options = options;
        this.issues = issues;
    }

    public TaskTable read(List<Path> files) {
        List<Path> tasks = new ArrayList<>();
        Map<String, Boolean> jobOk = null;
        Map<String, Integer> instances = null;
        for (Path f : files) {
            int kind = tableOf(f);
            if (kind == JOB_COLS) {
                jobOk = jobOk == null ? new HashMap<>() : jobOk;
                readJobs(f, jobOk);
            } else if (kind == INSTANCE_COLS) {
                instances = instances == null ? new HashMap<>() : instances;
                readInstances(f, instances);
            } else {
                tasks.add(f);
            }
        }
        if (tasks.isEmpty()) {
            throw new TraceException("no pai_task_table file among " + files + " (the task table is required)");
        }
        TaskTable.Builder b = new TaskTable.Builder(options.gpuTypes(), options.keepNames());
        for (Path f : tasks) {
            readTasks(f, b, jobOk, instances);
        }
        if (b.size() == 0) {
            throw new TraceException("no usable task in " + tasks + " (" + issues.badRows() + " bad rows, left out: "
                    + issues.filteredByReason() + ")");
        }
        return b.build();
    }

    private static int tableOf(Path f) {
        String name = f.getFileName().toString();
        if (name.contains("job_table")) {
            return JOB_COLS;
        }
        if (name.contains("instance_table")) {
            return INSTANCE_COLS;
        }
        if (name.contains("task_table")) {
            return TASK_COLS;
        }
        BufferedReader r = Lines.open(f);
        try {
            String first = Lines.next(r, f);
            if (first == null) {
                throw new TraceException(f + ": empty file");
            }
            return new CsvRow().set(first).size();
        } finally {
            Lines.close(r);
        }
    }

    private void readJobs(Path f, Map<String, Boolean> ok) {
        rows(f, JOB_COLS, "pai_job_table", (row, line) -> ok.put(row.text(0), row.is(3, "Terminated")));
    }

    private void readInstances(Path f, Map<String, Integer> counts) {
        rows(f, INSTANCE_COLS, "pai_instance_table", (row, line) -> counts.merge(row.text(0) + '/' + row.text(1), 1, Integer::sum));
    }

    private void readTasks(Path f, TaskTable.Builder b, Map<String, Boolean> jobOk, Map<String, Integer> instances) {
        rows(f, TASK_COLS, "pai_task_table", (row, line) -> task(row, f.toString(), line, b, jobOk, instances));
    }

    /** Feeds every row with the table's column count to {@code each}; other rows are bad rows. */
    private void rows(Path f, int cols, String table, java.util.function.ObjLongConsumer<CsvRow> each) {
        BufferedReader r = Lines.open(f);
        CsvRow row = new CsvRow();
        String file = f.toString();
        long line = 0;
        try {
            for (String s = Lines.next(r, f); s != null; s = Lines.next(r, f)) {
                line++;
                if (row.set(s).size() != cols) {
                    issues.bad(file, line, "expected " + cols + " columns (" + table + "), got " + row.size());
                } else {
                    each.accept(row, line);
                }
            }
        } finally {
            Lines.close(r);
        }
        if (line == 0) {
            throw new TraceException(f + ": empty file");
        }
    }

    private void task(CsvRow row, String file, long line, TaskTable.Builder b, Map<String, Boolean> jobOk,
                      Map<String, Integer> instances) {
        if (!row.is(3, "Terminated")) {
            issues.filtered("task status " + (row.isEmpty(3) ? "empty" : row.text(3)));
            return;
        }
        String jobName = row.text(0);
        if (jobOk != null && !jobOk.getOrDefault(jobName, Boolean.FALSE)) {
            issues.filtered(jobOk.containsKey(jobName) ? "job not Terminated" : "job missing from job table");
            return;
        }
        if (row.isEmpty(8)) {
            issues.filtered("no GPU requested");
            return;
        }
        double start;
        double end;
        double gpu;
        double mem;
        int inst;
        int col = 4;
        try {
            start = row.number(4);
            col = 5;
            end = row.number(5);
            col = 7;
            mem = row.isEmpty(7) ? 0 : row.number(7);
            col = 8;
            gpu = row.number(8);
            col = 2;
            inst = row.isEmpty(2) ? 1 : (int) row.number(2);
        } catch (NumberFormatException e) {
            issues.bad(file, line, "column " + (col + 1) + " is not a number: '" + row.text(col) + "'");
            return;
        }
        if (start < 0) {
            issues.bad(file, line, "negative start time " + start);
            return;
        }
        if (end < start) {
            issues.bad(file, line, "end time " + (long) end + " before start time " + (long) start);
            return;
        }
        if (gpu < 0 || mem < 0) {
            issues.bad(file, line, "negative " + (gpu < 0 ? "plan_gpu " + gpu : "plan_mem " + mem));
            return;
        }
        if (inst < 1) {
            issues.bad(file, line, "inst_num must be >= 1, got " + inst);
            return;
        }
        String type = row.text(9);
        int typeIndex = options.gpuTypes().indexOf(type);
        if (typeIndex < 0) {
            issues.bad(file, line, "unknown GPU type '" + type + "' (known: " + options.gpuTypes().subList(1,
                    options.gpuTypes().size()) + ")");
            return;
        }
        if (gpu == 0) {
            issues.filtered("zero GPU requested");
            return;
        }
        if ((long) end == (long) start) {
            issues.filtered("zero duration");
            return;
        }
        String taskName = row.text(1);
        if (instances != null) {
            inst = instances.getOrDefault(jobName + '/' + taskName, inst);
        }
        addTask(b, options, jobName, taskName, inst, (long) start, (long) end, gpu, mem, typeIndex);
    }

    /**
     * Adds one valid Terminated task: labels it and splits it into pieces. The synthetic generator's in-memory
     * path calls this too, so a generated table read back from CSV equals the one built in memory.
     */
    public static void addTask(TaskTable.Builder b, TraceOptions options, String jobName, String taskName, int inst,
                               long start, long end, double gpuPercent, double memGb, int typeIndex) {
        byte kind = options.rules().paiKind(taskName, inst, gpuPercent);
        int job = b.job(jobName);
        Pieces.add(b, start, end, gpuPercent, (long) Math.ceil(memGb * 1024), options.gpuMemMiB(), kind,
                typeIndex, job, inst);
    }
}
