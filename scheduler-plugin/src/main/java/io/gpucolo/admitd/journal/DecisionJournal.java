package io.gpucolo.admitd.journal;

import io.gpucolo.admitd.protocol.ProtocolException;
import io.gpucolo.admitd.protocol.Wire;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The append-only, fsync'd journal that makes a decision durable before the hook hears it. One line per
 * event: {@code CRC32 seq=N key=value ...} (values percent-encoded, see {@link Wire}); the CRC covers the rest
 * of the line. On open, every intact line is replayed and a torn tail (a crash in the middle of a write: no
 * newline, or a bad CRC on the last line) is cut off: it was never acknowledged. A bad line in the middle is
 * reported with its line number and the journal refuses to open (never silently drop acknowledged work).
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

    private final Path path;
    private final Sync sync;
    private volatile boolean dirty;
    private Thread flusher;
    private final FileChannel channel;
    private final List<JournalEntry> replayed;
    private long lastSeq;
    private final java.util.concurrent.ConcurrentLinkedQueue<JournalEntry> undrained = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private DecisionJournal(Path path, FileChannel channel, List<JournalEntry> replayed, Sync sync) {
        this.path = path;
        this.sync = sync;
        this.channel = channel;
        this.replayed = List.copyOf(replayed);
        this.lastSeq = replayed.isEmpty() ? 0 : replayed.get(replayed.size() - 1).seq();
        undrained.addAll(replayed);
    }

    /** Opens (creating if needed) and replays the journal; every append is fdatasync'd. */
    public static DecisionJournal open(Path path) throws IOException {
        return open(path, Sync.ALWAYS);
    }

    /** Opens (creating if needed) and replays the journal. */
    public static DecisionJournal open(Path path, Sync sync) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            List<JournalEntry> entries = new ArrayList<>();
            long good = replay(path, ch, entries);
            if (good < ch.size()) {
                ch.truncate(good);
                ch.force(true);
            }
            ch.position(good);
            DecisionJournal j = new DecisionJournal(path, ch, entries, sync);
            if (sync == Sync.BATCHED) {
                j.startFlusher();
            }
            return j;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static long replay(Path path, FileChannel ch, List<JournalEntry> out) throws IOException {
        byte[] all = Files.readAllBytes(path);
        long good = 0;
        int start = 0;
        int lineNo = 0;
        while (start < all.length) {
            int nl = start;
            while (nl < all.length && all[nl] != '\n') {
                nl++;
            }
            lineNo++;
            if (nl == all.length) {
                break;                                       // torn tail: no newline, never acknowledged
            }
            String line = new String(all, start, nl - start, StandardCharsets.US_ASCII);
            JournalEntry e = parse(line);
            if (e == null || (!out.isEmpty() && e.seq() <= out.get(out.size() - 1).seq())) {
                if (nl + 1 == all.length) {
                    break;                                   // bad last line: a torn write
                }
                throw new IOException(path + ":" + lineNo + ": corrupt journal line (bad checksum or order); "
                        + "refusing to start rather than lose acknowledged decisions");
            }
            out.add(e);
            start = nl + 1;
            good = start;
        }
        return good;
    }

    static JournalEntry parse(String line) {
        int sp = line.indexOf(' ');
        if (sp <= 0) {
            return null;
        }
        String body = line.substring(sp + 1);
        if (!line.substring(0, sp).equals(crc(body))) {
            return null;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        long seq = -1;
        try {
            for (String kv : body.split(" ")) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    return null;
                }
                String k = kv.substring(0, eq);
                String v = Wire.decode(kv.substring(eq + 1));
                if (k.equals("seq")) {
                    seq = Long.parseLong(v);
                } else {
                    fields.put(k, v);
                }
            }
        } catch (ProtocolException | NumberFormatException e) {
            return null;
        }
        return seq < 1 ? null : new JournalEntry(seq, fields);
    }

    static String crc(String body) {
        CRC32 c = new CRC32();
        c.update(body.getBytes(StandardCharsets.US_ASCII));
        return String.format("%08x", c.getValue());
    }

    private void startFlusher() {
        flusher = new Thread(() -> {
            while (channel.isOpen()) {
                try {
                    Thread.sleep(BATCH_INTERVAL.toMillis());
                    if (dirty) {
                        dirty = false;
                        channel.force(false);
                    }
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
     * Appends one event and forces it to disk (fdatasync) before returning: when this returns, the event
     * survives a crash of the process or the machine.
     */
    public synchronized JournalEntry append(Map<String, String> fields) throws IOException {
        JournalEntry e = new JournalEntry(lastSeq + 1, fields);
        StringBuilder body = new StringBuilder("seq=").append(e.seq());
        e.fields().forEach((k, v) -> body.append(' ').append(k).append('=').append(Wire.encode(v)));
        String line = crc(body.toString()) + " " + body + "\n";
        ByteBuffer buf = ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII));
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        if (sync == Sync.ALWAYS) {
            channel.force(false);
        } else {
            dirty = true;
        }
        lastSeq = e.seq();
        undrained.add(e);
        return e;
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
