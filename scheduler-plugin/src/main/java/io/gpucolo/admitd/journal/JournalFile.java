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
 * The on-disk form of a journal segment: lines {@code CRC32 seq=N key=value ...\n} written in place into a file
 * preallocated with zero bytes (so that an fdatasync flushes data only: the file's size and block map do not
 * change on an append). The data ends at the first zero byte where a line would start. A torn write (a crash
 * in the middle of one) leaves a line without its newline or with a bad checksum followed only by zeros: it
 * was never acknowledged and is cut off. A bad line followed by more data is corruption.
 */
final class JournalFile {
    /** Zero bytes added whenever a segment runs out of preallocated room. */
    static final int CHUNK = 1 << 20;

    private JournalFile() {
    }

    /** What {@link #scan} found: the intact entries, where they end, and where the last non-zero byte ends. */
    record Scan(List<JournalEntry> entries, long end, long dirtyEnd, long size) {
    }

    static Scan scan(Path path) throws IOException {
        byte[] all = Files.readAllBytes(path);
        List<JournalEntry> out = new ArrayList<>();
        int start = 0;
        int lineNo = 0;
        while (start < all.length && all[start] != 0) {
            int nl = start;
            while (nl < all.length && all[nl] != '\n') {
                nl++;
            }
            lineNo++;
            if (nl == all.length) {
                break;                                       // torn tail: no newline, never acknowledged
            }
            JournalEntry e = parse(new String(all, start, nl - start, StandardCharsets.ISO_8859_1));
            if (e == null || (!out.isEmpty() && e.seq() <= out.get(out.size() - 1).seq())) {
                if (zerosFrom(all, nl + 1)) {
                    break;                                   // bad last line: a torn write
                }
                throw new IOException(path + ":" + lineNo + ": corrupt journal line (bad checksum or order); "
                        + "refusing to start rather than lose acknowledged decisions");
            }
            out.add(e);
            start = nl + 1;
        }
        int dirty = all.length;
        while (dirty > start && all[dirty - 1] == 0) {
            dirty--;
        }
        return new Scan(out, start, dirty, all.length);
    }

    private static boolean zerosFrom(byte[] all, int from) {
        for (int i = from; i < all.length; i++) {
            if (all[i] != 0) {
                return false;
            }
        }
        return true;
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
        c.update(body.getBytes(StandardCharsets.ISO_8859_1));
        return String.format("%08x", c.getValue());
    }

    /** The line of an entry, newline included (printable ASCII only: values are percent-encoded). */
    static byte[] line(JournalEntry e) {
        StringBuilder body = new StringBuilder("seq=").append(e.seq());
        e.fields().forEach((k, v) -> body.append(' ').append(k).append('=').append(Wire.encode(v)));
        return (crc(body.toString()) + " " + body + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes zero bytes over {@code [from, to)}. */
    static void zero(FileChannel ch, long from, long to) throws IOException {
        ByteBuffer z = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(0, to - from)));
        for (long at = from; at < to; ) {
            z.clear().limit((int) Math.min(z.capacity(), to - at));
            at += writeFully(ch, z, at);
        }
    }

    static int writeFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
        int n = 0;
        while (buf.hasRemaining()) {
            n += ch.write(buf, at + n);
        }
        return n;
    }

    /** Creates {@code path} with {@code bytes} of zeros, forced to disk with its metadata. */
    static void preallocate(Path path, long bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            zero(ch, 0, bytes);
            ch.force(true);
        }
    }

    /** Forces a directory's entries (a rename in it) to disk. */
    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
