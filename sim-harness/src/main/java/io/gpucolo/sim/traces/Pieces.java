package io.gpucolo.sim.traces;

/**
 * Splits one trace task instance into GPU pieces, as the paper does: a task above 100% of a GPU or above
 * one GPU's memory becomes {@code k = max(ceil(share/100), ceil(mem/gpuMem))} pieces with share
 * {@code ceil(share/k)} and memory {@code ceil(mem/k)} each, all with the task's start and end.
 */
final class Pieces {
    private Pieces() {
    }

    static int count(double sharePercent, long memMiB, long gpuMemMiB) {
        long byShare = (long) Math.ceil(sharePercent / 100.0 - 1e-9);
        long byMem = gpuMemMiB <= 0 ? 1 : (memMiB + gpuMemMiB - 1) / gpuMemMiB;
        return (int) Math.max(1, Math.max(byShare, byMem));
    }

    static void add(TaskTable.Builder b, long start, long end, double sharePercent, long memMiB, long gpuMemMiB,
                    byte kind, int type, int job, int instances) {
        int k = count(sharePercent, memMiB, gpuMemMiB);
        int share = (int) Math.min(100, Math.max(1, Math.ceil(sharePercent / k - 1e-9)));
        int mem = (int) Math.min(Integer.MAX_VALUE, (memMiB + k - 1) / k);
        for (int inst = 0; inst < instances; inst++) {
            for (int p = 0; p < k; p++) {
                b.add(start, end, share, mem, kind, type, job);
            }
        }
    }
}
