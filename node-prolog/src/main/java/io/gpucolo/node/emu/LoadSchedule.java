package io.gpucolo.node.emu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A request-rate schedule: a step function of time. File format, one step per line, {@code #} starts a comment:
 * <pre>
 *   # seconds-from-start  requests-per-second
 *   0    100
 *   30   200     # the load doubles for 60 s
 *   90   100
 * </pre>
 * Times strictly increase and start at 0; rates are finite and &gt;= 0.
 */
record LoadSchedule(List<Step> steps) {
    record Step(double atSeconds, double rate) {
    }

    LoadSchedule {
        steps = List.copyOf(steps);
        if (steps.isEmpty() || steps.get(0).atSeconds() != 0) {
            throw new IllegalArgumentException("a schedule starts with a step at 0 s");
        }
    }

    static LoadSchedule constant(double rate) {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("--rate must be a finite number >= 0, got " + rate);
        }
        return new LoadSchedule(List.of(new Step(0, rate)));
    }

    /** The rate in force at {@code seconds} from the start. */
    double rateAt(double seconds) {
        double r = steps.get(0).rate();
        for (Step s : steps) {
            if (s.atSeconds() <= seconds) {
                r = s.rate();
            }
        }
        return r;
    }

    static LoadSchedule read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            int hash = raw.indexOf('#');
            String line = hash >= 0 ? raw.substring(0, hash) : raw;
            if (line.isBlank()) {
                continue;
            }
            String[] w = line.trim().split("\\s+");
            int col = raw.indexOf(w[0]) + 1;
            String where = file + ":" + (i + 1) + ":" + col + ": ";
            if (w.length != 2) {
                throw new IllegalArgumentException(where + "expected 'SECONDS RATE', got '" + line.trim() + "'");
            }
            double at;
            double rate;
            try {
                at = Double.parseDouble(w[0]);
                rate = Double.parseDouble(w[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + "not a number in '" + line.trim() + "'");
            }
            if (!(at >= 0) || Double.isInfinite(at) || !(rate >= 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException(where + "time and rate must be finite and >= 0");
            }
            if (steps.isEmpty() && at != 0) {
                throw new IllegalArgumentException(where + "the first step must be at 0 s");
            }
            if (!steps.isEmpty() && at <= steps.get(steps.size() - 1).atSeconds()) {
                throw new IllegalArgumentException(where + "times must increase");
            }
            steps.add(new Step(at, rate));
        }
        if (steps.isEmpty()) {
            throw new IllegalArgumentException(file + ":1:1: empty schedule");
        }
        return new LoadSchedule(steps);
    }
}
