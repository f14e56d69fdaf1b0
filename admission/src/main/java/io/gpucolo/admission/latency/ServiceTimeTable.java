package io.gpucolo.admission.latency;

import java.util.Arrays;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Batch service time of one model on one GPU model, {@code S(share, batch, procs)} in ms, precomputed from a
 * profile's points without training into a dense table over integer shares 1..100 so a lookup is O(1) in the
 * share and O(log #batches) in the batch.
 *
 * <p>Equations (grid: measured shares {@code s_i}, batches {@code b_j}, process counts {@code 1..N}):
 * <ul>
 *   <li>share, between measured shares: linear in {@code 1/s} (compute-bound kernels take time inversely
 *       proportional to the SMs they get): {@code S(s) = S_i + (S_{i+1} - S_i) (1/s - 1/s_i) / (1/s_{i+1} - 1/s_i)};
 *       below the smallest share the same line from the two smallest shares is extended (slope clamped at
 *       >= 0), above the largest share the largest share's time is kept (no speed-up is assumed);</li>
 *   <li>batch, between measured batches: linear in {@code ln S} vs {@code ln b}; below the smallest batch the
 *       smallest batch's time, above the largest {@code S(b_max) b / b_max} (throughput-bound);</li>
 *   <li>processes: measured counts directly, beyond {@code N}: {@code S(N) p / N} (time slicing);</li>
 *   <li>missing cells (e.g. out of memory in a small MIG slice) are filled from the previous batch times the
 *       batch ratio measured at the nearest larger share that has both, or {@code b/b_prev} without one; a
 *       missing multi-process cell keeps the previous batch's process slowdown ratio, or {@code p} without
 *       one;</li>
 *   <li>measurement noise is removed by making the grid monotone before interpolating: non-decreasing in the
 *       batch and in the number of processes (running maximum), non-increasing in the share (running maximum
 *       from the largest share down).</li>
 * </ul>
 * Operating range: shares 1..100%, batches 1..4096, processes 1..48; accuracy is reported in docs/MODEL.md.
 */
final class ServiceTimeTable {
    private final int[] batches;
    private final double[] lnBatches;
    private final int procs;
    /** [share-1][procs-1][batchIndex] → ln S (ms). */
    private final double[][][] lnMs;
    /** [share-1][procs-1][batchIndex] → S (ms). */
    private final double[][][] ms;

    private ServiceTimeTable(int[] batches, int procs, double[][][] lnMs) {
        this.batches = batches;
        this.procs = procs;
        this.lnMs = lnMs;
        this.ms = new double[lnMs.length][][];
        for (int i = 0; i < lnMs.length; i++) {
            ms[i] = new double[lnMs[i].length][];
            for (int p = 0; p < lnMs[i].length; p++) {
                ms[i][p] = new double[lnMs[i][p].length];
                for (int j = 0; j < ms[i][p].length; j++) {
                    ms[i][p][j] = Math.exp(lnMs[i][p][j]);
                }
            }
        }
        this.lnBatches = new double[batches.length];
        for (int j = 0; j < batches.length; j++) {
            lnBatches[j] = Math.log(batches[j]);
        }
    }

    static ServiceTimeTable of(LatencyProfile profile) {
        TreeMap<Double, TreeMap<Integer, double[]>> sums = new TreeMap<>();
        TreeSet<Integer> batchSet = new TreeSet<>();
        int maxProcs = 1;
        for (ProfileRow r : profile.rows()) {
            if (!r.withoutTraining()) {
                continue;
            }
            batchSet.add(r.batch());
            maxProcs = Math.max(maxProcs, r.inferenceProcs());
        }
        int[] batches = batchSet.stream().mapToInt(Integer::intValue).toArray();
        int nb = batches.length;
        final int np = maxProcs;
        for (ProfileRow r : profile.rows()) {
            if (!r.withoutTraining()) {
                continue;
            }
            double[] cell = sums.computeIfAbsent(r.inferenceSharePct(), k -> new TreeMap<>())
                    .computeIfAbsent(Arrays.binarySearch(batches, r.batch()), k -> new double[2 * np]);
            cell[2 * (r.inferenceProcs() - 1)] += r.meanLatencyMs();
            cell[2 * (r.inferenceProcs() - 1) + 1] += 1;
        }
        double[] shares = sums.keySet().stream().mapToDouble(Double::doubleValue).toArray();
        double[][][] grid = new double[shares.length][nb][np];
        for (int i = 0; i < shares.length; i++) {
            for (var e : sums.get(shares[i]).entrySet()) {
                double[] c = e.getValue();
                for (int p = 0; p < np; p++) {
                    grid[i][e.getKey()][p] = c[2 * p + 1] > 0 ? c[2 * p] / c[2 * p + 1] : 0;
                }
            }
        }
        fillMissing(profile, shares, batches, grid);
        makeMonotone(grid);
        double[][][] dense = new double[100][np][nb];
        for (int pct = 1; pct <= 100; pct++) {
            for (int j = 0; j < nb; j++) {
                for (int p = 0; p < np; p++) {
                    dense[pct - 1][p][j] = Math.log(alongShare(shares, grid, j, p, pct));
                }
            }
        }
        return new ServiceTimeTable(batches, np, dense);
    }

    private static void fillMissing(LatencyProfile profile, double[] shares, int[] batches, double[][][] g) {
        int nb = batches.length;
        int np = g.length == 0 ? 0 : g[0][0].length;
        for (int i = shares.length - 1; i >= 0; i--) {
            if (g[i][0][0] <= 0) {
                throw new IllegalArgumentException("profile " + profile.modelName() + "@" + profile.gpuModel()
                        + ": no single-process point without training at share " + shares[i]
                        + "% and batch " + batches[0]);
            }
            for (int j = 1; j < nb; j++) {
                if (g[i][j][0] <= 0) {
                    double ratio = (double) batches[j] / batches[j - 1];
                    for (int k = i + 1; k < shares.length; k++) {
                        if (g[k][j][0] > 0 && g[k][j - 1][0] > 0) {
                            ratio = g[k][j][0] / g[k][j - 1][0];
                            break;
                        }
                    }
                    g[i][j][0] = g[i][j - 1][0] * ratio;
                }
            }
            for (int p = 1; p < np; p++) {
                for (int j = 0; j < nb; j++) {
                    if (g[i][j][p] <= 0) {
                        double slow = j > 0 ? g[i][j - 1][p] / g[i][j - 1][0] : p + 1;
                        g[i][j][p] = g[i][j][0] * Math.max(slow, g[i][j][p - 1] / g[i][j][0]);
                    }
                }
            }
        }
    }

    private static void makeMonotone(double[][][] g) {
        for (int i = g.length - 1; i >= 0; i--) {
            for (int j = 0; j < g[i].length; j++) {
                for (int p = 0; p < g[i][j].length; p++) {
                    double v = g[i][j][p];
                    if (j > 0) {
                        v = Math.max(v, g[i][j - 1][p]);
                    }
                    if (p > 0) {
                        v = Math.max(v, g[i][j][p - 1]);
                    }
                    if (i < g.length - 1) {
                        v = Math.max(v, g[i + 1][j][p]);
                    }
                    g[i][j][p] = v;
                }
            }
        }
    }

    private static double alongShare(double[] shares, double[][][] g, int j, int p, int pct) {
        int n = shares.length;
        if (pct >= shares[n - 1]) {
            return g[n - 1][j][p];
        }
        if (n == 1) {
            return g[0][j][p] * shares[0] / pct;
        }
        int i = 0;
        while (i < n - 2 && shares[i + 1] < pct) {
            i++;
        }
        double x0 = 1 / shares[i];
        double x1 = 1 / shares[i + 1];
        double slope = (g[i][j][p] - g[i + 1][j][p]) / (x0 - x1);
        if (pct < shares[0]) {
            slope = Math.max(0, slope);
        }
        return Math.max(Double.MIN_NORMAL, g[i][j][p] + slope * (1.0 / pct - x0));
    }

    /** Mean batch service time, ms, for a share in 1..100 %, a (possibly fractional) batch >= 1 and procs >= 1. */
    double ms(int sharePct, double batch, int processes) {
        int p = Math.min(processes, procs) - 1;
        double[] ln = lnMs[sharePct - 1][p];
        double[] s = ms[sharePct - 1][p];
        double v;
        int nb = batches.length;
        if (batch <= batches[0]) {
            v = s[0];
        } else if (batch >= batches[nb - 1]) {
            v = s[nb - 1] * batch / batches[nb - 1];
        } else {
            int j = Arrays.binarySearch(batches, (int) Math.floor(batch));
            j = j >= 0 ? j : -j - 2;
            double t = (Math.log(batch) - lnBatches[j]) / (lnBatches[j + 1] - lnBatches[j]);
            v = Math.exp(ln[j] + t * (ln[j + 1] - ln[j]));
        }
        return processes > procs ? v * processes / procs : v;
    }

    /**
     * The effective batch of a dynamically batching server: the smallest {@code x} in {@code [1, maxBatch]} with
     * {@code x >= c S(x)}, where {@code c} is the arrival rate per ms times the service-time scale. Closed form per
     * log-log segment: {@code x = (c S_j b_j^-a)^(1/(1-a))} with slope {@code a < 1} (a crossing needs it).
     * Returns {@code maxBatch} when there is no crossing below it (the caller checks stability).
     */
    double effectiveBatch(int sharePct, int processes, double c, int maxBatch) {
        double cc = processes > procs ? c * processes / procs : c;
        int p = Math.min(processes, procs) - 1;
        double[] s = ms[sharePct - 1][p];
        double[] ln = lnMs[sharePct - 1][p];
        double first = cc * s[0];
        if (first <= batches[0]) {
            return Math.min(maxBatch, Math.max(1, first));
        }
        for (int j = 1; j < batches.length; j++) {
            if (batches[j - 1] >= maxBatch) {
                return maxBatch;
            }
            if (batches[j] - cc * s[j] >= 0 || batches[j] >= maxBatch) {
                double a = (ln[j] - ln[j - 1]) / (lnBatches[j] - lnBatches[j - 1]);
                if (a >= 1) {
                    return Math.min(maxBatch, batches[j]);
                }
                double x = Math.exp((Math.log(cc) + ln[j - 1] - a * lnBatches[j - 1]) / (1 - a));
                return Math.min(maxBatch, Math.max(batches[j - 1], Math.min(batches[j], x)));
            }
        }
        return maxBatch;
    }

    int maxMeasuredProcesses() {
        return procs;
    }
}
