package io.gpucolo.admitd.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void aBatchIsReplayedWholeInOrderAndATornBatchKeepsItsWholeLines() throws IOException {
        Path f = dir.resolve("j");
        try (DecisionJournal j = DecisionJournal.open(f)) {
            j.append(Map.of("kind", "decision", "id", "d1"));
            List<JournalEntry> batch = j.appendAll(List.of(Map.of("kind", "bind", "id", "d1", "job", "41"),
                    Map.of("kind", "bind", "id", "d2", "job", "42")));
            assertEquals(List.of(2L, 3L), batch.stream().map(JournalEntry::seq).toList());
            assertEquals(List.of(), j.appendAll(List.of()));
            assertEquals(2, j.forceTimes().getTotalCount(), "one fsync for the single append, one for the whole batch");
        }
        writeAtDataEnd(f, JournalFile.crc("seq=4 kind=bind id=d3 job=43") + " seq=4 kind=bind id=d3 job=43\n"
                + "0badc0de seq=5 kind=bi");                  // a batch cut short by a crash: its first line made it
        try (DecisionJournal j = DecisionJournal.open(f)) {
            assertEquals(List.of(1L, 2L, 3L, 4L), j.replayed().stream().map(JournalEntry::seq).toList());
            assertEquals("42", j.replayed().get(2).get("job"));
            assertEquals(5, j.nextSeq());
        }
    }

    /** The journal's text: the file up to the first zero byte of its preallocated tail. */
    static String data(Path f) throws IOException {
        String all = Files.readString(f, StandardCharsets.ISO_8859_1);
        int z = all.indexOf('\0');
        return z < 0 ? all : all.substring(0, z);
    }

    /** Writes bytes in place at the end of the journal's data, as a write interrupted by a crash leaves them. */
    static void writeAtDataEnd(Path f, String bytes) throws IOException {
        long at = data(f).length();
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes.getBytes(StandardCharsets.ISO_8859_1)), at);
        }
    }

    @Test
    void aTornTailIsCutOffAndTheJournalGoesOn() throws IOException {
        Path f = dir.resolve("j");
        try (DecisionJournal j = DecisionJournal.open(f)) {
            j.append(Map.of("kind", "decision", "id", "d1"));
        }
        writeAtDataEnd(f, "deadbeef seq=2 kind=deci");
        try (DecisionJournal j = DecisionJournal.open(f)) {
            assertEquals(1, j.replayed().size());
            j.append(Map.of("kind", "decision", "id", "d2"));
        }
        try (DecisionJournal j = DecisionJournal.open(f)) {
            assertEquals(List.of(1L, 2L), j.replayed().stream().map(JournalEntry::seq).toList());
        }
        assertFalse(data(f).contains("deci\n") || data(f).contains("deadbeef"), data(f));
    }

    @Test
    void aWriteTornAcrossBlocksIsCutOffToo() throws IOException {
        Path f = dir.resolve("j");
        try (DecisionJournal j = DecisionJournal.open(f)) {
            j.append(Map.of("kind", "decision", "id", "d1"));
        }
        writeAtDataEnd(f, "0badc0de seq=2 kind=decision\0\0\0\0 id=d2\n");   // the middle block never reached the disk
        try (DecisionJournal j = DecisionJournal.open(f)) {
            assertEquals(1, j.replayed().size());
            assertEquals(2, j.append(Map.of("kind", "decision", "id", "d2")).seq());
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
        String text = data(f);
        writeAtDataEnd(f, "");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(text.replaceFirst("d1", "d9").getBytes(StandardCharsets.US_ASCII)), 0);
        }
        IOException e = assertThrows(IOException.class, () -> DecisionJournal.open(f));
        assertTrue(e.getMessage().contains(":1: corrupt journal line"), e.getMessage());
    }

    @Test
    void appendsWriteInPlaceWithoutGrowingTheFile() throws IOException {
        Path f = dir.resolve("j");
        try (DecisionJournal j = DecisionJournal.open(f)) {
            long size = Files.size(f);
            for (int i = 0; i < 200; i++) {
                j.append(Map.of("kind", "decision", "id", "d" + (i + 1), "comment", "x".repeat(100)));
            }
            assertEquals(size, Files.size(f), "an append changed the file size (metadata to flush)");
            assertTrue(j.usedBytes() > 200 * 100, "used " + j.usedBytes());
        }
    }

    @Test
    void aJournalWrittenByAppendingOpensAndGoesOn() throws IOException {
        Path f = dir.resolve("j");
        String body = "seq=1 kind=decision id=d1";
        Files.writeString(f, DecisionJournal.crc(body) + " " + body + "\n", StandardCharsets.US_ASCII);
        try (DecisionJournal j = DecisionJournal.open(f)) {
            assertEquals(1, j.replayed().size());
            j.append(Map.of("kind", "bind", "id", "d1", "job", "7"));
        }
        try (DecisionJournal j = DecisionJournal.open(f)) {
            assertEquals("7", j.replayed().get(1).get("job"));
        }
    }

    @Test
    void compactionKeepsWhatTheStoreLacksOpenDecisionsAndTheLastEvent() throws IOException {
        Path f = dir.resolve("j");
        try (DecisionJournal j = DecisionJournal.open(f, DecisionJournal.Sync.ALWAYS, 1024)) {
            for (int i = 1; i <= 40; i++) {
                j.append(Map.of("kind", "decision", "id", "d" + i, "comment", "y".repeat(40)));
            }
            j.append(Map.of("kind", "bind", "id", "d3", "job", "33"));           // seq 41
            j.append(Map.of("kind", "end", "id", "d5", "job", "55"));            // seq 42
            j.append(Map.of("kind", "decision", "id", "d43"));                   // seq 43, not in the store yet
            assertTrue(j.wantsCompaction());
            long before = j.usedBytes();
            int dropped = j.compact(42, id -> id.equals("d3") || id.equals("d7"));
            assertEquals(43 - 4, dropped);                                       // kept: d3, bind d3, d7, d43
            assertTrue(j.usedBytes() < before / 5, j.usedBytes() + " of " + before);
            assertFalse(j.wantsCompaction());
            assertEquals(44, j.append(Map.of("kind", "decision", "id", "d44")).seq());
        }
        try (DecisionJournal j = DecisionJournal.open(f)) {
            assertEquals(List.of(3L, 7L, 41L, 43L, 44L), j.replayed().stream().map(JournalEntry::seq).toList());
            assertEquals(45, j.nextSeq());
        }
        assertFalse(Files.exists(dir.resolve("j.compact")));
    }

    @Test
    void aLargeJournalFromBeforeCompactionAsksForItAtOnce() throws IOException {
        Path f = dir.resolve("j");
        try (DecisionJournal j = DecisionJournal.open(f, DecisionJournal.Sync.BATCHED, 1 << 20)) {
            for (int i = 1; i <= 40; i++) {
                j.append(Map.of("kind", "decision", "id", "d" + i, "comment", "z".repeat(100)));
            }
            assertFalse(j.wantsCompaction());
        }
        try (DecisionJournal j = DecisionJournal.open(f, DecisionJournal.Sync.ALWAYS, 2048)) {
            assertTrue(j.wantsCompaction(), "reopened with a smaller compaction size");
            assertEquals(39, j.compact(40, id -> false));                     // only the last event stays
        }
        try (DecisionJournal j = DecisionJournal.open(f)) {
            assertEquals(List.of(40L), j.replayed().stream().map(JournalEntry::seq).toList());
        }
    }

    @Test
    void aCompactionCutShortByACrashLeavesTheOldJournal() throws IOException {
        Path f = dir.resolve("j");
        try (DecisionJournal j = DecisionJournal.open(f)) {
            j.append(Map.of("kind", "decision", "id", "d1"));
        }
        Files.writeString(dir.resolve("j.compact"), "half written", StandardCharsets.US_ASCII);
        try (DecisionJournal j = DecisionJournal.open(f)) {
            assertEquals(1, j.replayed().size());
        }
        assertFalse(Files.exists(dir.resolve("j.compact")));
    }

    @Test
    void aTooSmallCompactionSizeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DecisionJournal.open(dir.resolve("j"), DecisionJournal.Sync.ALWAYS, 10));
        assertTrue(e.getMessage().contains("at least 1024"), e.getMessage());
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
