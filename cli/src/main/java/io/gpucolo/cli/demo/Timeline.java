package io.gpucolo.cli.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the demo saw, second by second: named numeric series (p99 per service, SLO per service, duty cycle
 * and MPS share per GPU, training throughput, ...) and a log of events (placements, deferrals, controller
 * actions). Filled by one sampling thread; read by the report once sampling has stopped.
 */
final class Timeline {
    /** One point of a series: seconds since the demo's load started, and the value. */
    record Point(double t, double value) {
    }

    /** Something that happened at time {@code t}. */
    record Event(double t, String kind, String text) {
    }

    private final Map<String, List<Point>> series = new LinkedHashMap<>();
    private final List<Event> events = new ArrayList<>();

    synchronized void add(String name, double t, double value) {
        if (Double.isFinite(value)) {
            series.computeIfAbsent(name, k -> new ArrayList<>()).add(new Point(t, value));
        }
    }

    synchronized void event(double t, String kind, String text) {
        events.add(new Event(t, kind, text));
    }

    synchronized List<Point> series(String name) {
        return List.copyOf(series.getOrDefault(name, List.of()));
    }

    /** Series names starting with {@code prefix}, in insertion order. */
    synchronized List<String> names(String prefix) {
        return series.keySet().stream().filter(n -> n.startsWith(prefix)).toList();
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** The last value of a series, or NaN when it has none. */
    synchronized double last(String name) {
        List<Point> s = series.get(name);
        return s == null || s.isEmpty() ? Double.NaN : s.get(s.size() - 1).value();
    }
}
