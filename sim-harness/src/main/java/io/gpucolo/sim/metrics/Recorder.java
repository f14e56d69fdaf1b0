package io.gpucolo.sim.metrics;

import java.util.Arrays;

/**
 * Accumulates one run's metrics as the engine reports changes; allocation-free per event. GPU count and
 * allocated share are integrated piecewise-constant over virtual time into hourly bins.
 */
public final class Recorder {
    public static final long BIN_MS = 3_600_000L;
    /** Sample GPUs whose latency-vs-SLO trace is kept for the report. */
    public static final int SAMPLE_GPUS = 3;
    static final int SAMPLE_POINTS = 4_000;

    private final long originMs;
    private double[] gpuArea = new double[64];
    private double usedShareArea;
    private double openArea;
    private long lastMs;
    private int open;
    private long usedShare;
    private int peak;
    private float[] slowdown = new float[1024];
    private int trainingJobs;
    private double queueMsSum;
    private long queueMsMax;
    private long inferenceTasks;
    private long tailJobs;
    private long meanJobs;
    private double inferenceMs;
    private double tailMs;
    private double meanMs;
    private final int[] sampleGpu = new int[SAMPLE_GPUS];
    private final long[][] sampleT = new long[SAMPLE_GPUS][SAMPLE_POINTS];
    private final float[][] sampleRatio = new float[SAMPLE_GPUS][SAMPLE_POINTS];
    private final int[] sampleN = new int[SAMPLE_GPUS];
    private int samples;

    private final long horizonMs;

    /**
     * @param originMs  virtual time of the first arrival
     * @param horizonMs end of the trace (its last end time): averages are taken over [origin, horizon]; the
     *                  hourly series goes on to the last end of the replay
     */
    public Recorder(long originMs, long horizonMs) {
        this.originMs = originMs;
        this.horizonMs = Math.max(originMs + 1, horizonMs);
        this.lastMs = originMs;
        Arrays.fill(sampleGpu, -1);
    }

    /** The number of open (bought) GPUs and the sum of requested shares on them changed at {@code nowMs}. */
    public void gpus(long nowMs, int openGpus, long usedSharePercent) {
        advance(nowMs);
        open = openGpus;
        usedShare = usedSharePercent;
        peak = Math.max(peak, openGpus);
    }

    private void advance(long nowMs) {
        long t = lastMs;
        while (t < nowMs) {
            int bin = (int) ((t - originMs) / BIN_MS);
            long binEnd = originMs + (bin + 1L) * BIN_MS;
            long upto = Math.min(binEnd, nowMs);
            if (bin >= gpuArea.length) {
                gpuArea = Arrays.copyOf(gpuArea, Math.max(bin + 1, gpuArea.length * 2));
            }
            gpuArea[bin] += (double) open * (upto - t);
            t = upto;
        }
        long in = Math.min(nowMs, horizonMs) - Math.min(lastMs, horizonMs);
        usedShareArea += (double) usedShare * in;
        openArea += (double) open * in;
        lastMs = Math.max(lastMs, nowMs);
    }

    public void trainingDone(double slowdownFactor, long queuedMs) {
        if (trainingJobs == slowdown.length) {
            slowdown = Arrays.copyOf(slowdown, trainingJobs * 2);
        }
        slowdown[trainingJobs++] = (float) slowdownFactor;
        queueMsSum += queuedMs;
        queueMsMax = Math.max(queueMsMax, queuedMs);
    }

    /**
     * An inference task ended. It violated its tail (mean) SLO as a job when it spent more than 1% of its life
     * above it (its p99 over its life, taken window by window, is above the SLO).
     */
    public void inferenceDone(long lifeMs, long tailViolMs, long meanViolMs) {
        inferenceTasks++;
        inferenceMs += lifeMs;
        tailMs += tailViolMs;
        meanMs += meanViolMs;
        if (tailViolMs > 0.01 * lifeMs) {
            tailJobs++;
        }
        if (meanViolMs > 0.01 * lifeMs) {
            meanJobs++;
        }
    }

    /** Whether this GPU's latency is traced for the report (the first {@link #SAMPLE_GPUS} co-located GPUs). */
    public int sampleSlot(int gpu) {
        for (int i = 0; i < samples; i++) {
            if (sampleGpu[i] == gpu) {
                return i;
            }
        }
        if (samples < SAMPLE_GPUS) {
            sampleGpu[samples] = gpu;
            return samples++;
        }
        return -1;
    }

    /** The worst p99/SLO ratio on a sample GPU at {@code nowMs}. */
    public void latency(int slot, long nowMs, double ratio) {
        int n = sampleN[slot];
        if (n < SAMPLE_POINTS) {
            sampleT[slot][n] = nowMs;
            sampleRatio[slot][n] = (float) ratio;
            sampleN[slot] = n + 1;
        }
    }

    public RunResult finish(String policy, long endMs, long events, long controlSteps, long modelCalls, double wallS) {
        advance(endMs);
        int bins = (int) Math.max(1, (endMs - originMs + BIN_MS - 1) / BIN_MS);
        double[] perHour = new double[bins];
        for (int i = 0; i < bins && i < gpuArea.length; i++) {
            long binLen = Math.min(BIN_MS, endMs - (originMs + i * BIN_MS));
            perHour[i] = binLen > 0 ? gpuArea[i] / binLen : 0;
        }
        double span = horizonMs - originMs;
        float[] sd = Arrays.copyOf(slowdown, trainingJobs);
        Arrays.sort(sd);
        long[][] st = new long[samples][];
        float[][] sr = new float[samples][];
        for (int i = 0; i < samples; i++) {
            st[i] = Arrays.copyOf(sampleT[i], sampleN[i]);
            sr[i] = Arrays.copyOf(sampleRatio[i], sampleN[i]);
        }
        return new RunResult(policy, openArea / span, peak, perHour,
                openArea == 0 ? 0 : usedShareArea / openArea / 100.0,
                trainingJobs, mean(sd), quantile(sd, 0.5), quantile(sd, 0.95), quantile(sd, 0.99),
                trainingJobs == 0 ? 0 : queueMsSum / trainingJobs / 1000, queueMsMax / 1000.0,
                inferenceTasks, frac(tailJobs, inferenceTasks), frac(meanJobs, inferenceTasks),
                inferenceMs == 0 ? 0 : tailMs / inferenceMs, inferenceMs == 0 ? 0 : meanMs / inferenceMs,
                sd, st, sr, events, controlSteps, modelCalls, wallS, originMs, endMs);
    }

    private static double frac(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return v.length == 0 ? 0 : s / v.length;
    }

    static double quantile(float[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, i)];
    }
}
