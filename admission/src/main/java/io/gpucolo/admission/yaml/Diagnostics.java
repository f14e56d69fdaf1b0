package io.gpucolo.admission.yaml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;

/**
 * Collects the problems of one configuration file, and the default of every key the reader asked for (the
 * documentation test checks each appears in {@code etc/gpucolo.yaml.example}).
 */
public final class Diagnostics {
    private final String file;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, String> defaults = new LinkedHashMap<>();

    public Diagnostics(String file) {
        this.file = file;
    }

    public void at(int line, int column, String message) {
        problems.add(new Problem(file, Math.max(1, line), Math.max(1, column), message));
    }

    /** At a SnakeYAML mark (0-based line and column); a missing mark means the start of the file. */
    public void at(Mark mark, String message) {
        if (mark == null) {
            at(1, 1, message);
        } else {
            at(mark.getLine() + 1, mark.getColumn() + 1, message);
        }
    }

    public void recordDefault(String path, String rendered) {
        defaults.putIfAbsent(path, rendered);
    }

    public int count() {
        return problems.size();
    }

    public boolean clean() {
        return problems.isEmpty();
    }

    public List<Problem> problems() {
        List<Problem> sorted = new ArrayList<>(problems);
        Collections.sort(sorted);
        return sorted;
    }

    public Map<String, String> defaults() {
        return Collections.unmodifiableMap(defaults);
    }
}
