package io.gpucolo.cli.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small file chores of the lab: written settings and scripts, and waiting for a daemon's file or log line. */
final class LabFiles {
    private LabFiles() {
    }

    /** Writes an executable sh script (mode 0755). */
    static void script(Path file, String body) {
        write(file, "#!/bin/sh\n# written by gpucolo demo (Slurm runs hooks with no PATH: absolute paths only)\n" + body + "\n");
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void awaitFile(Path p, long ms, String what) {
        long deadline = System.nanoTime() + ms * 1_000_000L;
        while (!Files.exists(p)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not appear within " + ms / 1000 + " s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        }
    }

    static void awaitLine(Path log, String needle, long ms, String what) {
        long deadline = System.nanoTime() + ms * 1_000_000L;
        while (true) {
            try {
                if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(needle)) {
                    return;
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // mid-write; look again
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not start within " + ms / 1000 + " s; see " + log);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        }
    }

    static void write(Path p, String text) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void mkdirs(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
