package io.gpucolo.node.law;

import java.time.Instant;

/** Fluent fixtures for law tests. */
final class Samples {
    private Samples() {
    }

    static LatencySample at(long second, ServiceLatency... services) {
        return LatencySample.of(Instant.EPOCH.plusSeconds(second), services);
    }

    /** One service with SLO 100 ms and the given p99 (mean = p99 / 2, 100 requests). */
    static LatencySample p99(long second, double p99Ms) {
        return at(second, svc("s", 100, p99Ms, p99Ms / 2));
    }

    /** One service with SLO 100 ms, the given p99 and {@code count} requests in the window ending at {@code millis}. */
    static LatencySample load(long millis, double p99Ms, long count) {
        return LatencySample.of(Instant.EPOCH.plusMillis(millis), new ServiceLatency("s", 100, p99Ms, p99Ms / 2, count));
    }

    static LatencySample mean(long second, double meanMs) {
        return at(second, svc("s", 100, meanMs * 2, meanMs));
    }

    static ServiceLatency svc(String name, double slo, double p99, double mean) {
        return new ServiceLatency(name, slo, p99, mean, 100);
    }
}
