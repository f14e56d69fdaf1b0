package io.gpucolo.node.mps;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A private (0600) scratch file in {@code java.io.tmpdir} for a child process's stdin or output, named from this
 * process's pid and the nanosecond clock instead of {@link Files#createTempFile}: that one seeds a {@code SecureRandom}
 * on first use, 100-200 ms of a hook's start-up on the project's VM. Created with {@code O_EXCL} (no symlink is
 * followed, an existing name is never reused); after a few taken names it falls back to {@code createTempFile}.
 */
public final class ScratchFile {
    private ScratchFile() {
    }

    public static Path create(String prefix) throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        String base = prefix + ProcessHandle.current().pid() + "-";
        for (int i = 0; i < 4; i++) {
            try {
                return Files.createFile(dir.resolve(base + Long.toHexString(System.nanoTime())),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException e) {
                // taken (an old file of a recycled pid, or someone else's): try another name
            }
        }
        return Files.createTempFile(prefix, null);
    }
}
