package io.gpucolo.admission.forecast;

import java.time.Instant;
import java.util.Objects;

/** The request rate (requests per second) a service carried during the interval that ends at {@code at}. */
public record RateSample(Instant at, double rps) {
    public RateSample {
        Objects.requireNonNull(at, "at");
        if (!(rps >= 0) || Double.isInfinite(rps)) {
            throw new IllegalArgumentException("rate must be a finite number >= 0, got " + rps);
        }
    }
}
