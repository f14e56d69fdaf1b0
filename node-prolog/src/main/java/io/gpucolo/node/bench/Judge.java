package io.gpucolo.node.bench;

import io.gpucolo.node.law.ServiceLatency;
import io.gpucolo.node.sensor.ScrapeSensor;
import io.gpucolo.node.sensor.SensorUnavailableException;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's own, independent view of one inference service: its own scrape of the stand-in's histogram every
 * second (separate from the controller's sensor), kept as a list of 1-second windows.
 */
final class Judge {
    /** One 1-s window, with the controller's duty cycle and MPS share when it was read (NaN, 0 before it starts). */
    record Window(double second, double p99Ms, double meanMs, long count, double duty, int share) {
    }

    /** The length of the judge's windows, seconds. */
    static final double WINDOW_S = 1;
    /** Windows in a row under the SLO after the step that end its transient. */
    static final int SETTLED = 5;
    private final ScrapeSensor sensor;
    private final List<Window> windows = new ArrayList<>();

    Judge(ScrapeSensor sensor) {
        this.sensor = sensor;
    }

    synchronized void read(double second, double duty, int share) {
        try {
            ServiceLatency l = sensor.read();
            if (l.hasData()) {
                windows.add(new Window(second, l.p99Ms(), l.meanMs(), l.count(), duty, share));
            }
        } catch (SensorUnavailableException e) {
            windows.add(new Window(second, Double.NaN, Double.NaN, -1, duty, share));
        }
    }

    synchronized List<Window> windows() {
        return List.copyOf(windows);
    }

    /** Percentage of windows in [from, to) with p99 over the SLO (an unreadable window counts as a violation). */
    double violationPercent(double sloMs, double from, double to) {
        int n = 0;
        int bad = 0;
        for (Window w : windows()) {
            if (w.second() >= from && w.second() < to) {
                n++;
                bad += !(w.p99Ms() <= sloMs) ? 1 : 0;
            }
        }
        return n == 0 ? 100 : 100.0 * bad / n;
    }

    /**
     * Inner periods from the step until p99 is back under the SLO: 0 when no window of the step's transient violates;
     * otherwise the time from the step to the end of the first violation run (the start of the next good window), in
     * inner periods of {@code periodS} seconds (at a 1-s period, the number of violating windows). The transient is the 15 s
     * after the step, and it is over early once {@link #SETTLED} windows in a row after the step met the SLO: a
     * violation after that is not the step's (it counts in the violation windows, like any other). Applied alike to
     * every scenario.
     */
    int recoveryPeriods(double sloMs, double step, double periodS) {
        Double firstBad = null;
        int goodRun = 0;
        for (Window w : windows()) {
            if (w.second() <= step || w.second() > step + 15) {
                continue;
            }
            boolean bad = !(w.p99Ms() <= sloMs);
            if (bad && firstBad == null) {
                if (goodRun >= SETTLED) {
                    return 0;
                }
                firstBad = w.second();
            } else if (!bad && firstBad != null) {
                // the good window starts WINDOW_S before its second: p99 was back under the SLO from then on
                return (int) Math.round((w.second() - WINDOW_S - step) / periodS);
            }
            goodRun = bad ? 0 : goodRun + 1;
        }
        return firstBad == null ? 0 : (int) Math.round(15 / periodS);
    }

    /** The median of the window p99s in [from, to), and the mean/p99 ratio there: the calibration reading. */
    double[] calibrate(double from, double to) {
        List<Double> p99s = new ArrayList<>();
        double meanSum = 0;
        double p99Sum = 0;
        for (Window w : windows()) {
            if (w.second() >= from && w.second() < to && w.count() > 0) {
                p99s.add(w.p99Ms());
                meanSum += w.meanMs();
                p99Sum += w.p99Ms();
            }
        }
        if (p99s.isEmpty()) {
            return new double[] {Double.NaN, Double.NaN};
        }
        p99s.sort(null);
        return new double[] {p99s.get(p99s.size() / 2), meanSum / p99Sum};
    }
}
