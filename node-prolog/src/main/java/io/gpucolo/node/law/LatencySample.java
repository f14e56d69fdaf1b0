package io.gpucolo.node.law;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the sensors saw for every inference service on one GPU over the window that ended at {@code at}.
 * Samples carry their own timestamp; laws read time only from here.
 */
public record LatencySample(Instant at, List<ServiceLatency> services) {
    public LatencySample {
        Objects.requireNonNull(at, "at");
        services = List.copyOf(services);
        if (services.isEmpty()) {
            throw new IllegalArgumentException("a latency sample needs at least one service");
        }
    }

    public static LatencySample of(Instant at, ServiceLatency... services) {
        return new LatencySample(at, List.of(services));
    }

    /** True when at least one service completed a request in the window. */
    public boolean hasData() {
        return services.stream().anyMatch(ServiceLatency::hasData);
    }

    /**
     * The tightest relative slack, {@code min_i (SLO_i - p99_i) / SLO_i} over services with data; NaN when none has
     * data. This is the controlled variable of our inner tier.
     */
    public double tightestSlack() {
        double min = Double.NaN;
        for (ServiceLatency s : services) {
            if (s.hasData() && !(s.slack() >= min)) {
                min = s.slack();
            }
        }
        return min;
    }

    /** The count-weighted mean latency of all services, ms (the paper's controlled variable); NaN when idle. */
    public double meanLatencyMs() {
        double sum = 0;
        long n = 0;
        for (ServiceLatency s : services) {
            if (s.hasData()) {
                sum += s.meanMs() * s.count();
                n += s.count();
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * Merges consecutive samples into one window ending at the last one's time. Per service (matched by name, in the
     * first sample's order): counts add, means are count-weighted, and the p99 is the largest window p99 (an upper
     * bound of the merged p99: conservative, exact when one window dominates).
     */
    public static LatencySample merge(List<LatencySample> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge");
        }
        LatencySample last = samples.get(samples.size() - 1);
        List<ServiceLatency> merged = new ArrayList<>();
        for (ServiceLatency first : samples.get(0).services()) {
            long count = 0;
            double sum = 0;
            double p99 = 0;
            for (LatencySample sample : samples) {
                for (ServiceLatency s : sample.services()) {
                    if (s.service().equals(first.service()) && s.hasData()) {
                        count += s.count();
                        sum += s.meanMs() * s.count();
                        p99 = Math.max(p99, s.p99Ms());
                    }
                }
            }
            merged.add(count == 0 ? ServiceLatency.idle(first.service(), first.sloMs())
                    : new ServiceLatency(first.service(), first.sloMs(), p99, sum / count, count));
        }
        return new LatencySample(last.at(), merged);
    }
}
