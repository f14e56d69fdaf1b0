package io.gpucolo.node.actuator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The lease state file: one pause-target key per line for everything noded has stopped and not yet explicitly
 * resumed (a target being duty-cycled stays listed between its stops; resuming a running process is harmless). Rewritten
 * atomically (temp file + rename) on every change, so a later noded (or the epilog) finds exactly what a dead one left
 * stopped. Keep it on tmpfs ({@code /run/gpucolo/leases}): it only matters until the node reboots.
 */
final class LeaseBook {
    private final Path file;
    private final Set<String> keys = new LinkedHashSet<>();

    LeaseBook(Path file) {
        this.file = file;
    }

    synchronized void add(PauseTarget t) throws IOException {
        if (keys.add(t.key())) {
            write();
        }
    }

    synchronized void remove(PauseTarget t) throws IOException {
        if (keys.remove(t.key())) {
            write();
        }
    }

    synchronized List<String> keys() {
        return List.copyOf(keys);
    }

    /** The keys a previous incarnation left, one per line; blank lines skipped; none when the file is absent. */
    static List<String> read(Path file) throws IOException {
        try {
            List<String> out = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    out.add(line.strip());
                }
            }
            return out;
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    private void write() throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve(file.getFileName() + ".tmp");
        Files.write(tmp, keys, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
