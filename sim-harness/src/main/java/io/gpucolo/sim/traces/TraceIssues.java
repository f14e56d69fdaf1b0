package io.gpucolo.sim.traces;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects what a reader refused or dropped, with file and line. A <em>bad</em> row is malformed input
 * (wrong column count, non-numeric field, end before start, a share out of range, an unknown GPU type):
 * under {@code strict} the first one throws {@link TraceException}; otherwise it is counted, skipped and
 * listed in the summary. A <em>filtered</em> row is well-formed but outside the experiment (a failed job, a
 * task with no GPU): it is counted by reason, never reported as an error. Nothing is dropped silently.
 */
public final class TraceIssues {
    /** How many bad-row messages are kept verbatim; the rest are only counted. */
    public static final int KEPT_MESSAGES = 50;

    private final boolean strict;
    private final List<String> messages = new ArrayList<>();
    private final Map<String, Long> filtered = new TreeMap<>();
    private long bad;

    public TraceIssues(boolean strict) {
        this.strict = strict;
    }

    public boolean strict() {
        return strict;
    }

    /** Reports a malformed row; throws under strict mode. */
    public void bad(String file, long line, String what) {
        String msg = file + ":" + line + ": " + what;
        if (strict) {
            throw new TraceException(msg + " (--strict: first bad row is fatal)");
        }
        bad++;
        if (messages.size() < KEPT_MESSAGES) {
            messages.add(msg);
        }
    }

    /** Counts a well-formed row the experiment leaves out, by reason. */
    public void filtered(String reason) {
        filtered.merge(reason, 1L, Long::sum);
    }

    public long badRows() {
        return bad;
    }

    public List<String> messages() {
        return Collections.unmodifiableList(messages);
    }

    public Map<String, Long> filteredByReason() {
        return Collections.unmodifiableMap(filtered);
    }

    /** A few lines for the terminal and the report. */
    public List<String> summaryLines() {
        List<String> out = new ArrayList<>();
        out.add("bad rows skipped: " + bad + (bad > messages.size() ? " (first " + messages.size() + " listed)" : ""));
        for (String m : messages) {
            out.add("  " + m);
        }
        filtered.forEach((k, v) -> out.add("rows left out (" + k + "): " + v));
        return out;
    }
}
