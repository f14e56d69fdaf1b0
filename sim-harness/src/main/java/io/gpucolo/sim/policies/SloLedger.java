package io.gpucolo.sim.policies;

/**
 * Per inference task: its SLOs, the latency the plant last gave it, and the time it has spent above each SLO
 * (tail and mean, booked separately). Latency is piecewise constant between evaluations, so time is booked
 * when a task's violation flags change and when it ends.
 */
final class SloLedger {
    final float[] sloP99;
    final float[] sloMean;
    final float[] p99;
    final float[] mean;
    private final long[] tailMs;
    private final long[] meanMs;
    private final long[] since;
    private final byte[] flags;

    SloLedger(int tasks) {
        sloP99 = new float[tasks];
        sloMean = new float[tasks];
        p99 = new float[tasks];
        mean = new float[tasks];
        tailMs = new long[tasks];
        meanMs = new long[tasks];
        since = new long[tasks];
        flags = new byte[tasks];
    }

    /** The task is placed now, after waiting {@code waitedMs} (waiting counts as violating both SLOs). */
    void start(int i, long nowMs, long waitedMs) {
        since[i] = nowMs;
        flags[i] = 0;
        tailMs[i] = waitedMs;
        meanMs[i] = waitedMs;
    }

    /** New latency from {@code nowMs} on; returns p99 / SLO. */
    double observe(int i, double p99Ms, double meanLatencyMs, long nowMs) {
        p99[i] = (float) p99Ms;
        mean[i] = (float) meanLatencyMs;
        byte f = (byte) ((p99[i] > sloP99[i] ? 1 : 0) | (mean[i] > sloMean[i] ? 2 : 0));
        if (f != flags[i]) {
            close(i, nowMs);
            flags[i] = f;
        }
        return p99[i] / sloP99[i];
    }

    /** Books the time since the last change under the flags in force. */
    void close(int i, long nowMs) {
        long d = nowMs - since[i];
        if ((flags[i] & 1) != 0) {
            tailMs[i] += d;
        }
        if ((flags[i] & 2) != 0) {
            meanMs[i] += d;
        }
        since[i] = nowMs;
    }

    long tailMs(int i) {
        return tailMs[i];
    }

    long meanMs(int i) {
        return meanMs[i];
    }
}
