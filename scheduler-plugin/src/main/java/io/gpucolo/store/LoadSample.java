package io.gpucolo.store;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalDouble;

/** The load one inference service carried on one GPU at one time, and its measured p99 when known. */
public record LoadSample(String service, String gpu, Instant at, double requestsPerSecond, OptionalDouble p99Ms) {
    public LoadSample {
        Text.check("service", service, 1, 64);
        Text.check("gpu", gpu, 1, 160);
        Objects.requireNonNull(at, "at");
        if (!(requestsPerSecond >= 0) || Double.isInfinite(requestsPerSecond)) {
            throw new IllegalArgumentException("request rate must be a finite number >= 0, got " + requestsPerSecond);
        }
        Objects.requireNonNull(p99Ms, "p99Ms");
        if (p99Ms.isPresent() && !(p99Ms.getAsDouble() >= 0 && Double.isFinite(p99Ms.getAsDouble()))) {
            throw new IllegalArgumentException("p99 must be a finite number >= 0, got " + p99Ms.getAsDouble());
        }
    }
}
