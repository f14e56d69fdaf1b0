package io.gpucolo.node.law;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decorator: runs an inner law at a longer period than the samples arrive. Samples are buffered; once the time from
 * the end of the last window (or {@code start}) reaches {@code window}, the merged sample ({@link LatencySample#merge})
 * is fed to the law. In between, the duty in force is returned unchanged. Example: the paper's 4 s inner period in a
 * 1 s loop.
 */
public final class WindowedInnerLaw implements InnerLaw {
    private final InnerLaw law;
    private final Duration window;
    private final List<LatencySample> buffer = new ArrayList<>();
    private Instant windowStart;

    public WindowedInnerLaw(InnerLaw law, Duration window, Instant start) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, got " + window);
        }
        this.law = law;
        this.window = window;
        this.windowStart = start;
    }

    @Override
    public double update(LatencySample sample) {
        buffer.add(sample);
        if (Duration.between(windowStart, sample.at()).compareTo(window) < 0) {
            return law.duty();
        }
        LatencySample merged = LatencySample.merge(buffer);
        buffer.clear();
        windowStart = sample.at();
        return law.update(merged);
    }

    @Override
    public double duty() {
        return law.duty();
    }

    @Override
    public double floor() {
        return law.floor();
    }
}
