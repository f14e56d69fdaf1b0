package io.gpucolo.admitd.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The fsync'd journal that makes a decision durable before the hook hears it. One line per event:
 * {@code CRC32 seq=N key=value ...} (values percent-encoded), written in place into a preallocated file
 * ({@link JournalFile}: an fdatasync then flushes one data block, no size or metadata change). On open, every
 * intact line is replayed and a torn tail (a crash in the middle of a write) is cut off: it was never
 * acknowledged. A bad line in the middle is reported with its line number and the journal refuses to open (never
 * silently drop acknowledged work).
 *
 * <p>Compaction ({@link #compact}) keeps the journal from growing forever: once events are in the store's audit
 * log, the journal needs only those of decisions still followed (what a restart must rebuild) and the last event
 * (the sequence goes on from it). The kept events, with their own sequence numbers, are written to a new file,
 * forced to disk, and renamed over the journal (then the directory is forced): a {@code kill -9} at any point
 * leaves either the old journal or the new one, whole.
 */
public final class DecisionJournal implements AutoCloseable {
    /**
     * When an append reaches the disk. {@code ALWAYS}: fdatasync before {@link #append} returns (survives a
     * machine crash; costs one disk flush per decision). {@code BATCHED}: written to the kernel before
     * {@code append} returns (survives a crash or {@code kill -9} of admitd) and flushed to disk every
     * {@link #BATCH_INTERVAL}; a machine crash may lose that interval, as it loses slurmctld's unsaved jobs.
     */
    public enum Sync { ALWAYS, BATCHED }

    /** How often a {@code BATCHED} journal is flushed to disk. */
    public static final java.time.Duration BATCH_INTERVAL = java.time.Duration.ofMillis(50);
    /** Default size at which the journal asks to be compacted. */
    public static final long DEFAULT_COMPACT_BYTES = 8L << 20;

    private final Path path;
    private final Sync sync;
    private final long compactBytes;
    private volatile boolean dirty;
    private Thread flusher;
    private FileChannel channel;
    private long position;
    private long allocated;
    private long keptBytes;
    private final List<JournalEntry> replayed;
    /** The events in the current file, in order (what a compaction chooses from). */
    private final List<JournalEntry> live;
    private long lastSeq;
    /** Time of each force on the append path, microseconds. */
    private final org.HdrHistogram.Histogram forceMicros = new org.HdrHistogram.Histogram(3);
    private final java.util.concurrent.ConcurrentLinkedQueue<JournalEntry> undrained = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private DecisionJournal(Path path, FileChannel channel, JournalFile.Scan scan, Sync sync, long compactBytes) {
        this.path = path;
        this.sync = sync;
        this.compactBytes = compactBytes;
        this.channel = channel;
        this.position = scan.end();
        this.keptBytes = 0;                                   // a journal from before compaction existed compacts at once
        this.replayed = List.copyOf(scan.entries());
        this.live = new ArrayList<>(scan.entries());
        this.lastSeq = replayed.isEmpty() ? 0 : replayed.get(replayed.size() - 1).seq();
        undrained.addAll(replayed);
    }

    /** Opens (creating if needed) and replays the journal; every append is fdatasync'd. */
    public static DecisionJournal open(Path path) throws IOException {
        return open(path, Sync.ALWAYS, DEFAULT_COMPACT_BYTES);
    }

    /** Opens (creating if needed) and replays the journal. */
    public static DecisionJournal open(Path path, Sync sync) throws IOException {
        return open(path, sync, DEFAULT_COMPACT_BYTES);
    }

    /**
     * Opens (creating if needed) and replays the journal; a compaction left half done by a crash (its new file
     * not yet renamed over the journal) is discarded: the old journal is whole.
     *
     * @param compactBytes the size from which {@link #wantsCompaction()} says yes (at least 1 KiB)
     */
    public static DecisionJournal open(Path path, Sync sync, long compactBytes) throws IOException {
        if (compactBytes < 1024) {
            throw new IllegalArgumentException("journal compaction size must be at least 1024 bytes, got " + compactBytes);
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.deleteIfExists(compactTarget(path));
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            JournalFile.Scan scan = JournalFile.scan(path);
            if (scan.dirtyEnd() > scan.end()) {
                JournalFile.zero(ch, scan.end(), scan.dirtyEnd());     // the torn tail, never acknowledged
            }
            DecisionJournal j = new DecisionJournal(path, ch, scan, sync, compactBytes);
            j.allocated = scan.size();
            j.ensureRoom(0);
            ch.force(true);
            if (sync == Sync.BATCHED) {
                j.startFlusher();
            }
            return j;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static Path compactTarget(Path path) {
        return path.resolveSibling(path.getFileName() + ".compact");
    }

    /** Makes sure {@code bytes} more fit before the preallocated end (adds zeros and forces the new size). */
    private void ensureRoom(int bytes) throws IOException {
        if (position + bytes + 1 <= allocated) {
            return;
        }
        long to = position + bytes + JournalFile.CHUNK;
        JournalFile.zero(channel, allocated, to);
        channel.force(true);
        allocated = to;
    }

    static JournalEntry parse(String line) {
        return JournalFile.parse(line);
    }

    static String crc(String body) {
        return JournalFile.crc(body);
    }

    private void startFlusher() {
        flusher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(BATCH_INTERVAL.toMillis());
                    flushIfDirty();
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    java.util.logging.Logger.getLogger(DecisionJournal.class.getName())
                            .severe(path + ": flush failed: " + e.getMessage());
                }
            }
        }, "journal-flush");
        flusher.setDaemon(true);
        flusher.start();
    }

    private synchronized void flushIfDirty() throws IOException {
        if (dirty && channel.isOpen()) {
            dirty = false;
            channel.force(false);
        }
    }

    /** The entries found on open, in order. */
    public List<JournalEntry> replayed() {
        return replayed;
    }

    public synchronized long lastSeq() {
        return lastSeq;
    }

    /** The sequence number the next append will get. */
    public synchronized long nextSeq() {
        return lastSeq + 1;
    }

    /**
     * Appends one event and, with {@link Sync#ALWAYS}, forces it to disk (fdatasync) before returning: when this
     * returns, the event survives a crash of the process or the machine.
     */
    public synchronized JournalEntry append(Map<String, String> fields) throws IOException {
        return appendAll(List.of(fields)).get(0);
    }

    /**
     * Appends several events with one write and, with {@link Sync#ALWAYS}, one fdatasync: when this returns, all of
     * them survive a crash; a crash before leaves a prefix of whole lines (a torn last one is cut off on open), none
     * of which was acknowledged. For the background jobs' bursts (reconcile binds), one disk flush instead of one per
     * event, so that they do not queue flushes ahead of a submission's.
     */
    public synchronized List<JournalEntry> appendAll(List<Map<String, String>> events) throws IOException {
        if (events.isEmpty()) {
            return List.of();
        }
        List<JournalEntry> out = new ArrayList<>(events.size());
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(256 * events.size());
        for (Map<String, String> fields : events) {
            JournalEntry e = new JournalEntry(lastSeq + 1 + out.size(), fields);
            bytes.writeBytes(JournalFile.line(e));
            out.add(e);
        }
        byte[] data = bytes.toByteArray();
        ensureRoom(data.length);
        JournalFile.writeFully(channel, ByteBuffer.wrap(data), position);
        if (sync == Sync.ALWAYS) {
            long t0 = System.nanoTime();
            channel.force(false);
            forceMicros.recordValue(Math.max(1, Math.min((System.nanoTime() - t0) / 1000, 3_600_000_000L)));
        } else {
            dirty = true;
        }
        position += data.length;
        lastSeq = out.get(out.size() - 1).seq();
        live.addAll(out);
        undrained.addAll(out);
        return out;
    }

    /** A copy of the force-time histogram of appends (microseconds; empty with {@link Sync#BATCHED}). */
    public synchronized org.HdrHistogram.Histogram forceTimes() {
        return forceMicros.copy();
    }

    /** Bytes of events in the journal file now. */
    public synchronized long usedBytes() {
        return position;
    }

    /**
     * Whether the journal has grown enough to compact: past the compaction size, and past twice what the last
     * compaction kept (so that many open decisions do not make every drain compact again).
     */
    public synchronized boolean wantsCompaction() {
        return position >= Math.max(compactBytes, 2 * keptBytes);
    }

    /**
     * Rewrites the journal with only what a restart still needs: events the store has not taken yet (seq above
     * {@code storedSeq}), every event of a decision that {@code open} says is still followed, and the last event.
     * Safe against {@code kill -9} at any point (new file forced, renamed over the old one, directory forced).
     *
     * @return how many events were dropped
     */
    public synchronized int compact(long storedSeq, Predicate<String> open) throws IOException {
        if (live.isEmpty()) {
            return 0;
        }
        List<JournalEntry> keep = new ArrayList<>();
        for (int i = 0; i < live.size(); i++) {
            JournalEntry e = live.get(i);
            if (e.seq() > storedSeq || i == live.size() - 1 || open.test(e.decisionId())) {
                keep.add(e);
            }
        }
        Path tmp = compactTarget(path);
        long used = 0;
        List<byte[]> lines = new ArrayList<>(keep.size());
        for (JournalEntry e : keep) {
            byte[] l = JournalFile.line(e);
            lines.add(l);
            used += l.length;
        }
        long size = used + JournalFile.CHUNK;
        FileChannel next = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        try {
            long at = 0;
            for (byte[] l : lines) {
                at += JournalFile.writeFully(next, ByteBuffer.wrap(l), at);
            }
            JournalFile.zero(next, at, size);
            next.force(true);
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Path dir = path.toAbsolutePath().getParent();
            if (dir != null) {
                JournalFile.forceDirectory(dir);
            }
        } catch (IOException | RuntimeException e) {
            next.close();
            Files.deleteIfExists(tmp);
            throw e;
        }
        FileChannel old = channel;
        channel = next;
        old.close();
        int dropped = live.size() - keep.size();
        live.clear();
        live.addAll(keep);
        position = used;
        keptBytes = used;
        allocated = size;
        return dropped;
    }

    /**
     * Takes up to {@code max} entries not yet handed to the store, oldest first; those at or below
     * {@code storedSeq} (already in the store) are skipped.
     */
    public List<JournalEntry> takeUndrained(long storedSeq, int max) {
        List<JournalEntry> out = new ArrayList<>();
        JournalEntry e;
        while (out.size() < max && (e = undrained.peek()) != null) {
            undrained.poll();
            if (e.seq() > storedSeq) {
                out.add(e);
            }
        }
        return out;
    }

    /** Puts back entries the store could not take (they are retried first). */
    public void requeue(List<JournalEntry> entries) {
        List<JournalEntry> rest = new ArrayList<>(entries);
        rest.addAll(undrained);
        undrained.clear();
        undrained.addAll(rest);
    }

    public Path path() {
        return path;
    }

    @Override
    public synchronized void close() throws IOException {
        if (flusher != null) {
            flusher.interrupt();
        }
        if (channel.isOpen()) {
            channel.force(false);
        }
        channel.close();
    }
}
