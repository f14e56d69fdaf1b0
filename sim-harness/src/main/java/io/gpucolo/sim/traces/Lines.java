package io.gpucolo.sim.traces;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opens trace files with clear messages for the usual failures (missing, a directory, unreadable). */
final class Lines {
    private Lines() {
    }

    static BufferedReader open(Path file) {
        if (Files.isDirectory(file)) {
            throw new TraceException(file + ": is a directory, expected a CSV file");
        }
        try {
            return new BufferedReader(Files.newBufferedReader(file, StandardCharsets.UTF_8), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new TraceException(file + ": no such file");
        } catch (IOException e) {
            throw new TraceException(file + ": cannot read: " + e.getMessage());
        }
    }

    static String next(BufferedReader r, Path file) {
        try {
            return r.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": read failed", e);
        }
    }

    /** Checks the header line, then feeds every non-blank row to {@code each} with its line number (1-based). */
    static void withHeader(Path file, String header, java.util.function.ObjLongConsumer<CsvRow> each) {
        BufferedReader r = open(file);
        CsvRow row = new CsvRow();
        try {
            String h = next(r, file);
            if (h == null) {
                throw new TraceException(file + ": empty file");
            }
            if (!h.strip().equals(header)) {
                throw new TraceException(file + ":1: expected header '" + header + "', got '" + h.strip() + "'");
            }
            long line = 1;
            for (String s = next(r, file); s != null; s = next(r, file)) {
                line++;
                if (!s.isBlank()) {
                    each.accept(row.set(s), line);
                }
            }
        } finally {
            close(r);
        }
    }

    static void close(BufferedReader r) {
        try {
            r.close();
        } catch (IOException ignored) {
            // reading is finished; nothing to lose
        }
    }
}
