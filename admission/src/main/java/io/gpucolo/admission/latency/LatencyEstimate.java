package io.gpucolo.admission.latency;

/** A predicted latency distribution summary for one inference service on one GPU, in milliseconds. */
public record LatencyEstimate(double meanMs, double p99Ms) {
    public LatencyEstimate {
        if (!(meanMs >= 0) || !(p99Ms >= 0)) {
            throw new IllegalArgumentException("latencies must be >= 0 (or +Infinity when saturated), got mean="
                    + meanMs + " p99=" + p99Ms);
        }
        if (p99Ms < meanMs) {
            throw new IllegalArgumentException("p99 " + p99Ms + " ms below mean " + meanMs + " ms");
        }
    }

    /** True when the queue is unstable (arrival rate at or above service rate): latency grows without bound. */
    public boolean saturated() {
        return Double.isInfinite(p99Ms);
    }
}
