package io.gpucolo.admitd;

import io.gpucolo.admitd.journal.JournalEntry;
import io.gpucolo.admitd.protocol.Wire;
import io.gpucolo.store.AuditEntry;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Maps journal events to rows of the store's decision audit log: the verdict (or event kind), the reason, the
 * placement, and every other field as percent-encoded {@code key=value} inputs (what the decision saw).
 */
final class AuditRows {
    private static final Set<String> SHOWN = Set.of("kind", "id", "job", "at", "verdict", "reason", "gpu", "granted",
            "mem_limit", "policy");

    private AuditRows() {
    }

    static AuditEntry of(JournalEntry e) {
        String kind = e.get("kind").equals("decision") ? e.get("verdict") : e.get("kind");
        String reason = e.field("reason").or(() -> e.field("msg")).orElse("");
        String placement = e.get("gpu").isEmpty() ? ""
                : e.get("gpu") + (e.get("granted").isEmpty() ? "" : " mps=" + e.get("granted"))
                + (e.get("mem_limit").isEmpty() ? "" : " mem=" + e.get("mem_limit"));
        StringBuilder inputs = new StringBuilder();
        for (Map.Entry<String, String> f : e.fields().entrySet()) {
            if (!SHOWN.contains(f.getKey())) {
                inputs.append(inputs.length() == 0 ? "" : " ").append(f.getKey()).append('=').append(Wire.encode(f.getValue()));
            }
        }
        String in = inputs.length() > 65536 ? inputs.substring(0, 65536) : inputs.toString();
        String policy = e.get("policy").isEmpty() ? "admitd" : clip(e.get("policy"), 64);
        return new AuditEntry(e.seq(), clip(e.decisionId(), 64), clip(e.get("job"), 128),
                Instant.ofEpochMilli(Restore.parseLong(e.get("at"), 0)), clip(kind.isEmpty() ? "event" : kind, 16),
                clip(reason, 4000), clip(placement, 256), policy, in);
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
