package io.gpucolo.admitd;

import io.gpucolo.admitd.journal.DecisionJournal;
import io.gpucolo.admitd.journal.JournalEntry;
import io.gpucolo.store.Store;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A second process for {@link JournalKillTest}: admitd's journal path in a loop, as admitd runs it. Each round
 * appends a decision (open until ended), ends the oldest open decision with an {@code end} event on every third round and whenever more than 20 are open, drains to the
 * store every few appends and compacts whenever the journal asks to (small compaction size). After each append
 * returns it prints {@code ack SEQ ID}; {@code JOURNAL STORE-URL START}.
 */
public final class JournalChild {
    private JournalChild() {
    }

    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        long firstId = Long.parseLong(args[2]);
        try (DecisionJournal j = DecisionJournal.open(path, DecisionJournal.Sync.ALWAYS, 2048);
             Store store = Store.open(args[1])) {
            Set<String> open = new HashSet<>();
            for (JournalEntry e : j.replayed()) {
                if (e.get("kind").equals("decision")) {
                    open.add(e.decisionId());
                } else if (e.get("kind").equals("end")) {
                    open.remove(e.decisionId());
                }
            }
            System.out.println("open " + j.replayed().size());
            System.out.flush();
            for (long n = firstId; ; n++) {
                String id = "x" + n;
                JournalEntry e = j.append(Map.of("kind", "decision", "id", id, "verdict", "admit", "at", "1",
                        "comment", "gpucolo:colocate share=10 \"q\" $(x)"));
                open.add(id);
                System.out.println("ack " + e.seq() + " " + id);
                if (open.size() > 20 || n % 3 == 0) {
                    String victim = open.stream().sorted().findFirst().orElseThrow();
                    open.remove(victim);
                    JournalEntry end = j.append(Map.of("kind", "end", "id", victim, "at", "2"));
                    System.out.println("ack " + end.seq() + " " + victim + " end");
                }
                System.out.flush();
                if (n % 4 == 0) {
                    List<JournalEntry> batch = j.takeUndrained(store.lastSeq(), 500);
                    store.recordDecisions(batch.stream().map(AuditRows::of).toList());
                    if (j.wantsCompaction()) {
                        j.compact(store.lastSeq(), open::contains);
                    }
                }
            }
        }
    }
}
