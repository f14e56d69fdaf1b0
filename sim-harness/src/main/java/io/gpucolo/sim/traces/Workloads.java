package io.gpucolo.sim.traces;

import java.util.SplittableRandom;

/** The paper's workload transforms, applied after reading: the inference:training ratio and the burst. */
public final class Workloads {
    private Workloads() {
    }

    /**
     * Keeps the inference:training ratio of piece counts at {@code inference:training} by dropping whole jobs
     * of the kind in excess, each with the same seeded probability (the paper: 3:1). A table already at the
     * ratio is returned unchanged.
     */
    public static TaskTable ratio(TaskTable t, int inference, int training, long seed, TraceIssues issues) {
        if (inference < 1 || training < 1) {
            throw new IllegalArgumentException("ratio parts must be >= 1, got " + inference + ":" + training);
        }
        long inf = t.count(TaskTable.INFERENCE);
        long tr = t.size() - inf;
        double want = (double) inference / training;
        byte drop;
        double keep;
        if (tr == 0 || inf == 0) {
            throw new TraceException("cannot set the inference:training ratio: the workload has " + inf
                    + " inference and " + tr + " training pieces");
        }
        if ((double) inf / tr > want) {
            drop = TaskTable.INFERENCE;
            keep = want * tr / inf;
        } else {
            drop = TaskTable.TRAINING;
            keep = inf / want / tr;
        }
        if (keep >= 0.999) {
            return t;
        }
        TaskTable.Builder b = new TaskTable.Builder(t.gpuTypes(), t.hasNames());
        for (int i = 0; i < t.size(); i++) {
            if (t.kind(i) == drop && new SplittableRandom(seed ^ (t.job(i) * 0x9E3779B97F4A7C15L)).nextDouble() >= keep) {
                issues.filtered("dropped for the inference:training ratio " + inference + ":" + training);
                continue;
            }
            b.copy(t, i, 0);
        }
        return b.build();
    }

    /**
     * The paper's burst: every inference piece that starts between {@code fromDay} and {@code toDay} (days after
     * the first arrival) is duplicated (a second, identical piece of load arrives with it).
     */
    public static TaskTable burst(TaskTable t, double fromDay, double toDay) {
        if (!(fromDay >= 0 && toDay > fromDay)) {
            throw new IllegalArgumentException("burst days must satisfy 0 <= from < to, got " + fromDay + ":" + toDay);
        }
        long origin = t.size() == 0 ? 0 : t.start(0);
        long a = origin + (long) (fromDay * 86_400);
        long z = origin + (long) (toDay * 86_400);
        TaskTable.Builder b = new TaskTable.Builder(t.gpuTypes(), t.hasNames());
        for (int i = 0; i < t.size(); i++) {
            b.copy(t, i, 0);
            if (t.isInference(i) && t.start(i) >= a && t.start(i) < z) {
                b.copy(t, i, 0);
            }
        }
        return b.build();
    }
}
