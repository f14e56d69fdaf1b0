package io.gpucolo.node.actuator;

import java.io.IOException;
import java.time.Duration;

/**
 * Applies a duty cycle d to a training target over one control period P: stop it now for (1 − d)·P, under a lease of
 * exactly that length, so it resumes by itself (the guard's timer, or the watchdog if noded is gone) and then runs
 * for the rest of the period. Stopping first, right after the sensor read, cuts training as early as possible in a
 * burst. d ≥ 1 − 1/1000 of the period: nothing is stopped. d ≤ 0: stopped the whole period, under a lease of 1.5
 * periods that the next period renews (so training stays paused without a gap, and still resumes by itself).
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
        if (duty <= 0) {
            // a full stop: the lease outlasts the period by half of it, so the next period's stop renews it before it
            // ends (no run slipped in between two periods); if noded is gone it still ends within 1.5 periods
            stopNanos += period.toNanos() / 2;
        }
        Duration stop = Duration.ofNanos(stopNanos);
        guard.stop(target, stop);
        return stop;
    }
}
