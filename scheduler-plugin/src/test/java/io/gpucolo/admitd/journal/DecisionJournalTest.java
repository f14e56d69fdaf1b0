package io.gpucolo.admitd.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecisionJournalTest {
    @TempDir
    Path dir;

    @Test
    void everyAppendedEventIsReplayedAfterReopen() throws IOException {
        Path f = dir.resolve("j");
        try (DecisionJournal j = DecisionJournal.open(f)) {
            j.append(Map.of("kind", "decision", "id", "d1", "comment", "a \"b\"\nc"));
            j.append(Map.of("kind", "bind", "id", "d1", "job", "42"));
        }
        try (DecisionJournal j = DecisionJournal.open(f)) {
            List<JournalEntry> r = j.replayed();
            assertEquals(2, r.size());
            assertEquals("a \"b\"\nc", r.get(0).get("comment"));
            assertEquals("42", r.get(1).get("job"));
            assertEquals(3, j.nextSeq());
            assertEquals(2, j.takeUndrained(0, 10).size());
        }
    }

    @Test
    void aTornTailIsCutOffAndTheJournalGoesOn() throws IOException {
        Path f = dir.resolve("j");
        try (DecisionJournal j = DecisionJournal.open(f)) {
            j.append(Map.of("kind", "decision", "id", "d1"));
        }
        Files.writeString(f, "deadbeef seq=2 kind=deci", StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
        try (DecisionJournal j = DecisionJournal.open(f)) {
            assertEquals(1, j.replayed().size());
            j.append(Map.of("kind", "decision", "id", "d2"));
        }
        try (DecisionJournal j = DecisionJournal.open(f)) {
            assertEquals(List.of(1L, 2L), j.replayed().stream().map(JournalEntry::seq).toList());
        }
    }

    @Test
    void aCorruptLineInTheMiddleRefusesToOpenWithItsLineNumber() throws IOException {
        Path f = dir.resolve("j");
        try (DecisionJournal j = DecisionJournal.open(f)) {
            j.append(Map.of("kind", "decision", "id", "d1"));
            j.append(Map.of("kind", "decision", "id", "d2"));
        }
        List<String> lines = Files.readAllLines(f);
        Files.write(f, List.of(lines.get(0).replace("d1", "d9"), lines.get(1)));
        IOException e = assertThrows(IOException.class, () -> DecisionJournal.open(f));
        assertTrue(e.getMessage().contains(":1: corrupt journal line"), e.getMessage());
    }

    @Test
    void storedEntriesAreNotHandedOutAgain() throws IOException {
        try (DecisionJournal j = DecisionJournal.open(dir.resolve("j"))) {
            for (int i = 0; i < 5; i++) {
                j.append(Map.of("kind", "decision"));
            }
            List<JournalEntry> batch = j.takeUndrained(3, 10);
            assertEquals(List.of(4L, 5L), batch.stream().map(JournalEntry::seq).toList());
            j.requeue(batch);
            assertEquals(2, j.takeUndrained(0, 10).size());
        }
    }
}
