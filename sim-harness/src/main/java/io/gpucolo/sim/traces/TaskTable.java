package io.gpucolo.sim.traces;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The workload of one simulation as compact primitive columns, one row per GPU task piece (a trace task
 * above one GPU or above the per-GPU memory is split into pieces, as the paper does), sorted by start
 * time. A row is inference ({@link #INFERENCE}) or training ({@link #TRAINING}). Immutable after
 * {@link Builder#build()}; 1.2 million rows take about 40 MB.
 */
public final class TaskTable {
    public static final byte TRAINING = 0;
    public static final byte INFERENCE = 1;

    private final long[] start;
    private final long[] end;
    private final short[] share;
    private final int[] memMiB;
    private final byte[] kind;
    private final byte[] gpuType;
    private final int[] job;
    private final List<String> gpuTypes;
    private final String[] jobNames;

    private TaskTable(Builder b, int[] order) {
        int n = order.length;
        start = new long[n];
        end = new long[n];
        share = new short[n];
        memMiB = new int[n];
        kind = new byte[n];
        gpuType = new byte[n];
        job = new int[n];
        for (int i = 0; i < n; i++) {
            int o = order[i];
            start[i] = b.start[o];
            end[i] = b.end[o];
            share[i] = b.share[o];
            memMiB[i] = b.mem[o];
            kind[i] = b.kind[o];
            gpuType[i] = b.type[o];
            job[i] = b.job[o];
        }
        gpuTypes = List.copyOf(b.types);
        jobNames = b.names == null ? null : Arrays.copyOf(b.names, b.jobs);
    }

    public int size() {
        return start.length;
    }

    /** Arrival time, seconds. */
    public long start(int i) {
        return start[i];
    }

    /** End time in the trace, seconds; the trace duration is {@code end - start} at the requested share. */
    public long end(int i) {
        return end[i];
    }

    public long duration(int i) {
        return end[i] - start[i];
    }

    /** Requested GPU share, percent of one GPU, 1..100. */
    public int share(int i) {
        return share[i];
    }

    /** Requested memory, MiB. */
    public int memoryMiB(int i) {
        return memMiB[i];
    }

    public byte kind(int i) {
        return kind[i];
    }

    public boolean isInference(int i) {
        return kind[i] == INFERENCE;
    }

    /** Index into {@link #gpuTypes()}; 0 is always the empty type (any GPU). */
    public int gpuType(int i) {
        return gpuType[i];
    }

    public List<String> gpuTypes() {
        return gpuTypes;
    }

    /** The trace job this piece came from (pieces of one task share it). */
    public int job(int i) {
        return job[i];
    }

    /** The trace's job name, or {@code job<N>} for generated tables kept without names. */
    public String jobName(int i) {
        return jobNames == null ? "job" + job[i] : jobNames[job[i]];
    }

    /** Whether job names were kept (readers keep them; in-memory benchmark tables do not). */
    public boolean hasNames() {
        return jobNames != null;
    }

    public int count(byte k) {
        int c = 0;
        for (byte b : kind) {
            if (b == k) {
                c++;
            }
        }
        return c;
    }

    /** Most pieces of a kind running at once in the trace (ends before starts at equal times). */
    public int peakConcurrent(byte kind) {
        int c = count(kind);
        long[] s = new long[c];
        long[] e = new long[c];
        int k = 0;
        for (int i = 0; i < size(); i++) {
            if (this.kind[i] == kind) {
                s[k] = start[i];
                e[k++] = end[i];
            }
        }
        Arrays.sort(s);
        Arrays.sort(e);
        int peak = 0;
        int cur = 0;
        int j = 0;
        for (long st : s) {
            while (j < c && e[j] <= st) {
                j++;
                cur--;
            }
            cur++;
            peak = Math.max(peak, cur);
        }
        return peak;
    }

    /** First start and last end, seconds; {0, 0} when empty. */
    public long[] span() {
        if (size() == 0) {
            return new long[] {0, 0};
        }
        long last = 0;
        for (long e : end) {
            last = Math.max(last, e);
        }
        return new long[] {start[0], last};
    }

    /** Grows row by row, then sorts by start time (ties keep insertion order). */
    public static final class Builder {
        private long[] start = new long[1024];
        private long[] end = new long[1024];
        private short[] share = new short[1024];
        private int[] mem = new int[1024];
        private byte[] kind = new byte[1024];
        private byte[] type = new byte[1024];
        private int[] job = new int[1024];
        private int n;
        private final List<String> types;
        private String[] names;
        private int jobs;

        /** @param gpuTypes known GPU type names; index 0 must be {@code ""} (any type) */
        public Builder(List<String> gpuTypes, boolean keepNames) {
            if (gpuTypes.isEmpty() || !gpuTypes.get(0).isEmpty() || gpuTypes.size() > 127) {
                throw new IllegalArgumentException("GPU types must start with \"\" and number at most 127");
            }
            types = List.copyOf(gpuTypes);
            names = keepNames ? new String[1024] : null;
        }

        public List<String> gpuTypes() {
            return types;
        }

        /** Registers a job and returns its index. */
        public int job(String name) {
            if (names != null) {
                if (jobs == names.length) {
                    names = Arrays.copyOf(names, jobs * 2);
                }
                names[jobs] = Objects.requireNonNull(name);
            }
            return jobs++;
        }

        public int size() {
            return n;
        }

        public Builder add(long startS, long endS, int sharePercent, int memoryMiB, byte k, int gpuTypeIndex, int jobIndex) {
            if (endS < startS || sharePercent < 1 || sharePercent > 100 || memoryMiB < 0) {
                throw new IllegalArgumentException("bad task piece: start " + startS + " end " + endS + " share "
                        + sharePercent + " mem " + memoryMiB);
            }
            if (n == start.length) {
                int c = n * 2;
                start = Arrays.copyOf(start, c);
                end = Arrays.copyOf(end, c);
                share = Arrays.copyOf(share, c);
                mem = Arrays.copyOf(mem, c);
                kind = Arrays.copyOf(kind, c);
                type = Arrays.copyOf(type, c);
                job = Arrays.copyOf(job, c);
            }
            start[n] = startS;
            end[n] = endS;
            share[n] = (short) sharePercent;
            mem[n] = memoryMiB;
            kind[n] = k;
            type[n] = (byte) gpuTypeIndex;
            job[n] = jobIndex;
            n++;
            return this;
        }

        /** Copies row {@code i} of a built table (same GPU type list), optionally with another start and end. */
        public Builder copy(TaskTable t, int i, long shift) {
            return add(t.start(i) + shift, t.end(i) + shift, t.share(i), t.memoryMiB(i), t.kind(i), t.gpuType(i),
                    names == null ? t.job(i) : job(t.jobName(i)));
        }

        public TaskTable build() {
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) {
                keys[i] = i;
            }
            Integer[] boxed = null;
            // sort indices by (start, insertion order) with a primitive sort of packed keys when they fit
            long maxStart = 0;
            long minStart = Long.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                maxStart = Math.max(maxStart, start[i]);
                minStart = Math.min(minStart, start[i]);
            }
            int[] order = new int[n];
            if (n == 0 || (maxStart - minStart) < (1L << 40) && n < (1 << 23)) {
                for (int i = 0; i < n; i++) {
                    keys[i] = ((start[i] - minStart) << 23) | i;
                }
                Arrays.sort(keys);
                for (int i = 0; i < n; i++) {
                    order[i] = (int) (keys[i] & ((1 << 23) - 1));
                }
            } else {
                boxed = new Integer[n];
                for (int i = 0; i < n; i++) {
                    boxed[i] = i;
                }
                final long[] s = start;
                Arrays.sort(boxed, (a, b) -> a.equals(b) ? 0 : s[a] != s[b] ? Long.compare(s[a], s[b]) : Integer.compare(a, b));
                for (int i = 0; i < n; i++) {
                    order[i] = boxed[i];
                }
            }
            return new TaskTable(this, order);
        }
    }
}
