package io.gpucolo.admitd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpucolo.admitd.journal.DecisionJournal;
import io.gpucolo.admitd.journal.JournalEntry;
import io.gpucolo.store.Store;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal with compaction, killed with SIGKILL at random moments in a real child process ({@link JournalChild}):
 * after every kill, each acknowledged event is in the store's audit log or in the journal, and every decision not
 * ended has its decision event in the journal (what a restart rebuilds from).
 */
class JournalKillTest {
    @TempDir
    Path dir;

    @Test
    void noAcknowledgedEventIsLostWhenKilledDuringAppendsDrainsAndCompactions() throws Exception {
        Path journal = dir.resolve("journal");
        String url = "jdbc:h2:file:" + dir.resolve("store");
        SplittableRandom rnd = new SplittableRandom(7);
        Map<Long, String> acked = new HashMap<>();
        Set<String> ended = new HashSet<>();
        Set<String> decided = new HashSet<>();
        long nextId = 1;
        for (int round = 0; round < 4; round++) {
            Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                    System.getProperty("java.class.path"), JournalChild.class.getName(), journal.toString(), url,
                    Long.toString(nextId)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            int want = 150 + rnd.nextInt(400);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String first = out.readLine();
                assertTrue(first != null && first.startsWith("open "), "child did not open: " + first);
                int seen = 0;
                String line;
                while (seen < want && (line = out.readLine()) != null) {
                    seen += record(line, acked, ended, decided);
                }
                child.toHandle().destroyForcibly();                  // SIGKILL, wherever it is
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                while ((line = out.readLine()) != null) {
                    record(line, acked, ended, decided);             // printed before the kill landed
                }
            }
            assertEquals(137, child.exitValue());
            nextId = decided.size() + 1;
            check(journal, url, acked, ended, decided);
        }
        try (DecisionJournal j = DecisionJournal.open(journal)) {
            assertTrue(j.replayed().size() < acked.size() / 4, "journal not compacted: " + j.replayed().size()
                    + " events kept of " + acked.size());
        }
    }

    private static int record(String line, Map<Long, String> acked, Set<String> ended, Set<String> decided) {
        String[] p = line.split(" ");
        acked.put(Long.parseLong(p[1]), p[2]);
        if (p.length > 3) {
            ended.add(p[2]);
        } else {
            decided.add(p[2]);
        }
        return 1;
    }

    private static void check(Path journal, String url, Map<Long, String> acked, Set<String> ended, Set<String> decided)
            throws Exception {
        Set<Long> inJournal = new HashSet<>();
        Set<String> decisionsInJournal = new HashSet<>();
        Set<String> endedDurably = new HashSet<>(ended);   // an end written just before the kill counts, acknowledged or not
        try (DecisionJournal j = DecisionJournal.open(journal)) {
            for (JournalEntry e : j.replayed()) {
                inJournal.add(e.seq());
                if (e.get("kind").equals("decision")) {
                    decisionsInJournal.add(e.decisionId());
                } else if (e.get("kind").equals("end")) {
                    endedDurably.add(e.decisionId());
                }
            }
        }
        List<Long> missing = new ArrayList<>();
        Set<Long> stored = new HashSet<>();
        try (Store store = Store.open(url)) {
            store.lastSeq();                                          // migrated and readable
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "sa", "");
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT seq, decision_id, kind FROM decision")) {
            while (rs.next()) {
                stored.add(rs.getLong(1));
                if (rs.getString(3).equals("end")) {
                    endedDurably.add(rs.getString(2));
                }
            }
        }
        for (Long seq : acked.keySet()) {
            if (!inJournal.contains(seq) && !stored.contains(seq)) {
                missing.add(seq);
            }
        }
        java.util.Collections.sort(missing);
        assertTrue(missing.isEmpty(), "acknowledged events in neither the journal nor the store: " + missing);
        for (String id : decided) {
            if (!endedDurably.contains(id)) {
                assertTrue(decisionsInJournal.contains(id), "open decision " + id + " dropped from the journal");
            }
        }
    }
}
