package io.gpucolo.node.law;

import java.util.Objects;

/**
 * One inference service's latency over one sensor window.
 *
 * @param service the service name (for logs and metrics)
 * @param sloMs   its p99 latency objective, milliseconds (&gt; 0)
 * @param p99Ms   the 99th percentile of request latency in the window, ms; {@code NaN} when the window saw no request
 * @param meanMs  the mean request latency in the window, ms; {@code NaN} when the window saw no request
 * @param count   requests completed in the window (&ge; 0)
 */
public record ServiceLatency(String service, double sloMs, double p99Ms, double meanMs, long count) {
    public ServiceLatency {
        Objects.requireNonNull(service, "service");
        if (!(sloMs > 0) || Double.isInfinite(sloMs)) {
            throw new IllegalArgumentException("service " + service + ": SLO must be a positive number of ms, got " + sloMs);
        }
        if (count < 0) {
            throw new IllegalArgumentException("service " + service + ": count must be >= 0, got " + count);
        }
        if (count > 0 && !(p99Ms >= 0 && meanMs >= 0)) {
            throw new IllegalArgumentException("service " + service + ": a window with " + count
                    + " requests needs p99 and mean >= 0, got p99=" + p99Ms + " mean=" + meanMs);
        }
        if (count == 0) {
            p99Ms = Double.NaN;
            meanMs = Double.NaN;
        }
    }

    /** A window with no completed request. */
    public static ServiceLatency idle(String service, double sloMs) {
        return new ServiceLatency(service, sloMs, Double.NaN, Double.NaN, 0);
    }

    /** Relative slack of the tail, {@code (SLO - p99) / SLO}: 0 at the SLO, negative when violated. NaN when idle. */
    public double slack() {
        return (sloMs - p99Ms) / sloMs;
    }

    public boolean hasData() {
        return count > 0;
    }
}
