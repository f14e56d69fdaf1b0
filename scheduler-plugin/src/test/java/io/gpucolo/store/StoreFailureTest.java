package io.gpucolo.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store when things go wrong, with real processes: a second JVM writing at the same time, a writer killed
 * with SIGKILL, a corrupted file, a file locked by a process that does not share it, a database that is down.
 */
class StoreFailureTest {
    @TempDir
    Path dir;

    private String url() {
        return "jdbc:h2:file:" + dir.resolve("state");
    }

    static Process child(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), StoreChild.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    @Test
    void anotherProcessWritesAtTheSameTime() throws Exception {
        try (Store store = Store.open(url())) {
            Process other = child("write", url(), "1", "300");
            for (long seq = 1001; seq <= 1300; seq++) {
                store.recordDecision(StoreTest.entry(seq, "job" + seq, Instant.ofEpochMilli(seq)));
            }
            assertTrue(other.waitFor(120, TimeUnit.SECONDS), "child writer did not finish");
            assertEquals(0, other.exitValue());
            Set<Long> seqs = new HashSet<>();
            for (long seq : new long[] {1, 150, 300, 1001, 1300}) {
                seqs.add(store.decisions("job" + seq).get(0).seq());
            }
            assertEquals(Set.of(1L, 150L, 300L, 1001L, 1300L), seqs);
            assertEquals(1300, store.lastSeq());
        }
    }

    @Test
    void theCliKeepsWorkingWhenTheProcessServingTheFileExits() throws Exception {
        Process server = child("serve", url());
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
             Store cli = Store.open(url())) {
            assertEquals("ready", out.readLine());
            assertEquals(1, cli.decisions("served").size(), "sees the serving process's commit");
            cli.recordDecision(StoreTest.entry(2, "while-served", Instant.EPOCH));
            server.getOutputStream().close();
            assertTrue(server.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, server.exitValue());
            cli.recordDecision(StoreTest.entry(3, "after", Instant.EPOCH));
            assertEquals(3, cli.lastSeq());
        }
    }

    @Test
    void everyCommittedDecisionSurvivesTheWriterBeingKilled() throws Exception {
        Process writer = child("write", url(), "1", "1000000");
        List<Long> acknowledged = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("open", out.readLine());
            while (acknowledged.size() < 300) {
                acknowledged.add(Long.parseLong(out.readLine()));
            }
            writer.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook, no close (and our pipe stays readable)
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
            String line;
            while ((line = out.readLine()) != null) {
                acknowledged.add(Long.parseLong(line)); // printed before the kill landed
            }
        }
        assertEquals(137, writer.exitValue());
        try (Store store = Store.open(url())) {
            long last = acknowledged.get(acknowledged.size() - 1);
            assertTrue(store.lastSeq() >= last, "last acknowledged " + last + ", stored up to " + store.lastSeq());
            for (long seq : acknowledged) {
                assertEquals(1, store.decisions("job" + seq).size(), "decision " + seq + " lost");
            }
        }
    }

    @Test
    void corruptedFileIsReportedAndLeftUntouched() throws Exception {
        try (Store store = Store.open(url())) {
            for (long seq = 1; seq <= 50; seq++) {
                store.recordDecision(StoreTest.entry(seq, "job" + seq, Instant.ofEpochMilli(seq)));
            }
        }
        Path broken = dir.resolve("broken.mv.db");
        Files.copy(dir.resolve("state.mv.db"), broken);
        byte[] garbage = new byte[8192];
        new SplittableRandom(42).nextBytes(garbage);
        try (RandomAccessFile f = new RandomAccessFile(broken.toFile(), "rw")) {
            f.write(garbage); // over the file header
            f.seek(f.length() - garbage.length);
            f.write(garbage); // and over the last chunk and the trailing header
        }
        byte[] before = Files.readAllBytes(broken);
        StoreException e = assertThrows(StoreException.class, () -> Store.open("jdbc:h2:file:" + dir.resolve("broken")));
        assertEquals(StoreException.Kind.CORRUPT, e.kind());
        assertTrue(e.getMessage().startsWith("state store " + broken + " is corrupted"), e.getMessage());
        assertTrue(e.getMessage().contains("never repairs or recreates"), e.getMessage());
        assertFalse(e.getMessage().contains("\n\tat "), "no stack trace in the message");
        assertArrayEquals(before, Files.readAllBytes(broken), "the broken file must not be changed");
    }

    @Test
    void fileThatIsNotADatabaseAtAllIsNotReplaced() throws Exception {
        Path notDb = dir.resolve("notes.mv.db");
        Files.writeString(notDb, "these are my notes, not a database\n");
        StoreException e = assertThrows(StoreException.class, () -> Store.open("jdbc:h2:file:" + dir.resolve("notes")));
        assertEquals(StoreException.Kind.CORRUPT, e.kind(), e.getMessage());
        assertEquals("these are my notes, not a database\n", Files.readString(notDb));
    }

    @Test
    void fileLockedByAProcessThatDoesNotShareItIsReported() throws Exception {
        try (Store store = Store.open(url())) {
            store.recordDecision(StoreTest.entry(1, "job1", Instant.EPOCH));
        }
        Process holder = child("hold", url() + ";AUTO_SERVER=FALSE");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("ready", out.readLine());
            StoreException e = assertThrows(StoreException.class, () -> Store.open(url()));
            assertEquals(StoreException.Kind.LOCKED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().startsWith("state store " + dir.resolve("state.mv.db") + " is locked by another process"),
                    e.getMessage());
        } finally {
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        try (Store store = Store.open(url())) {
            assertEquals(1, store.lastSeq(), "data intact once the other process let go");
        }
    }

    @Test
    void openExistingNeverCreatesAStore() {
        StoreException e = assertThrows(StoreException.class, () -> Store.openExisting(url(), "", ""));
        assertEquals(StoreException.Kind.MISSING, e.kind());
        assertTrue(e.getMessage().startsWith("no state store " + dir.resolve("state.mv.db")), e.getMessage());
        assertFalse(Files.exists(dir.resolve("state.mv.db")));
    }

    @Test
    void databaseThatIsDownIsUnavailableNotAStackTrace() {
        StoreException e = assertThrows(StoreException.class,
                () -> Store.open("jdbc:postgresql://127.0.0.1:1/gpucolo?password=secret", "gpucolo", "secret"));
        assertEquals(StoreException.Kind.UNAVAILABLE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().startsWith("cannot reach state store jdbc:postgresql://127.0.0.1:1/gpucolo?password=***"),
                e.getMessage());
        assertFalse(e.getMessage().contains("secret"));
    }

    @Test
    void unknownDriverIsNamed() {
        StoreException e = assertThrows(StoreException.class, () -> Store.open("jdbc:nosuchdb://x"));
        assertEquals("no JDBC driver for jdbc:nosuchdb://x (supported: jdbc:h2:..., jdbc:postgresql://...)", e.getMessage());
    }
}
