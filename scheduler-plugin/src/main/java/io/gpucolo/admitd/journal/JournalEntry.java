package io.gpucolo.admitd.journal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One durable event of admitd: a decision ({@code kind=decision}) or the binding of a decision id to the
 * Slurm job id it became ({@code kind=bind}). Fields are free text; the journal and the store keep them as is.
 *
 * @param seq    position in the journal, from 1, strictly increasing (the decision id is {@code d<seq>})
 * @param fields the event's fields, in order
 */
public record JournalEntry(long seq, Map<String, String> fields) {
    public JournalEntry {
        if (seq < 1) {
            throw new IllegalArgumentException("journal sequence must be >= 1, got " + seq);
        }
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public Optional<String> field(String key) {
        return Optional.ofNullable(fields.get(key));
    }

    public String get(String key) {
        return fields.getOrDefault(key, "");
    }

    /** The decision id this event is about: its own id for a decision, the bound decision for a bind. */
    public String decisionId() {
        return fields.getOrDefault("id", "d" + seq);
    }
}
