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

    static void close(BufferedReader r) {
        try {
            r.close();
        } catch (IOException ignored) {
            // reading is finished; nothing to lose
        }
    }
}
