package io.gpucolo.admission.yaml;

import java.util.Objects;

/**
 * One problem found in a configuration file (policy, cluster inventory, request), at a 1-based line and column. Its text form is the compiler-style
 * {@code FILE:LINE:COLUMN: message} that {@code gpucolo policy check} prints.
 */
public record Problem(String file, int line, int column, String message) implements Comparable<Problem> {
    public Problem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("line and column are 1-based, got " + line + ":" + column);
        }
    }

    @Override
    public int compareTo(Problem o) {
        int c = Integer.compare(line, o.line);
        return c != 0 ? c : Integer.compare(column, o.column);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
