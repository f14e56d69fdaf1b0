package io.gpucolo.node.actuator;

import java.io.IOException;
import java.time.Duration;

/**
 * Applies a duty cycle d to a training target over one control period P: stop it now for (1 − d)·P, under a lease of
 * exactly that length, so it resumes by itself (the guard's timer, or the watchdog if noded is gone) and then runs
 * for the rest of the period. Stopping first, right after the sensor read, cuts training as early as possible in a
 * burst. d ≥ 1 − 1/1000 of the period: nothing is stopped.
 */
public final class DutyCycler {
    private final LeaseGuard guard;
    private final Duration period;

    public DutyCycler(LeaseGuard guard, Duration period) {
        this.guard = guard;
        this.period = period;
    }

    /** Applies duty {@code d} for the period starting now; returns the stop length applied. */
    public Duration apply(PauseTarget target, double duty) throws IOException {
        long stopNanos = Math.round((1 - Math.max(0, Math.min(1, duty))) * period.toNanos());
        if (stopNanos < period.toNanos() / 1000) {
            guard.resume(target);
            return Duration.ZERO;
        }
        Duration stop = Duration.ofNanos(stopNanos);
        guard.stop(target, stop);
        return stop;
    }
}
