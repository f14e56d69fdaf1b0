package io.gpucolo.node.law;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Watches the request rate of every service on a GPU, from the counts of consecutive latency windows, and tells a
 * surge (a burst onset) from Poisson noise.
 * <pre>
 *   T        = at(k) − at(k−1)                       (window length, from the samples' own timestamps)
 *   x_i      = λ̄_i · T                              (requests expected in the window at the recent rate)
 *   surge    ⇔ ∃i  n_i ≥ x_i·(1 + ratio)  and  n_i − x_i ≥ z·√x_i
 *   drop     ⇔ no surge and ∃i  n_i·(1 + ratio) ≤ x_i  and  x_i − n_i ≥ z·√x_i
 *   λ̄_i     ← λ̄_i + α·(n_i / T − λ̄_i)              (first window of a service: λ̄_i = n_i / T)
 * </pre>
 * A service's rate starts at its first window with requests (a sensor's first, baseline-only window is idle); after
 * that an idle window counts as n_i = 0. Operating range: α in (0, 1]; windows of 0.1–10 s (shorter or
 * longer gaps, e.g. a stalled loop, reset the rates rather than being read as a surge or a drop).
 * Pure: time comes only from the samples. Not thread-safe.
 */
final class LoadWatch {
    /** What the last window says of the load. */
    enum Change { STEADY, SURGE, DROP }

    private static final Duration MIN_WINDOW = Duration.ofMillis(100);
    private static final Duration MAX_WINDOW = Duration.ofSeconds(10);
    private final double alpha;
    private final Map<String, Double> rates = new HashMap<>();
    private Instant last;
    private boolean surged;

    LoadWatch(double alpha) {
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("smoothing factor must be in (0, 1], got " + alpha);
        }
        this.alpha = alpha;
    }

    /** Feeds one window: a surge when some service's count jumped by {@code ratio} and {@code z} σ over its recent rate. */
    Change observe(LatencySample sample, double ratio, double z) {
        Instant previous = last;
        last = sample.at();
        surged = false;
        if (previous == null) {
            return Change.STEADY;
        }
        Duration window = Duration.between(previous, sample.at());
        if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
            rates.clear();
            return Change.STEADY;
        }
        double seconds = window.toNanos() / 1e9;
        boolean dropped = false;
        for (ServiceLatency s : sample.services()) {
            double n = s.count();
            Double recent = rates.get(s.service());
            if (recent == null) {
                if (n > 0) {
                    rates.put(s.service(), n / seconds);
                }
                continue;
            }
            double expected = recent * seconds;
            double sigmas = z * Math.sqrt(expected);
            if (expected > 0 && n >= expected * (1 + ratio) && n - expected >= sigmas) {
                surged = true;
            } else if (expected > 0 && n * (1 + ratio) <= expected && expected - n >= sigmas) {
                dropped = true;
            }
            rates.put(s.service(), recent + alpha * (n / seconds - recent));
        }
        return surged ? Change.SURGE : dropped ? Change.DROP : Change.STEADY;
    }

    /** Whether the last window fed was a surge. */
    boolean surged() {
        return surged;
    }

    /** The recent rate of a service, requests per second; NaN before its first full window. */
    double rate(String service) {
        return rates.getOrDefault(service, Double.NaN);
    }
}
