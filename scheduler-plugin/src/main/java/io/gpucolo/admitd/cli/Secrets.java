package io.gpucolo.admitd.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The shared secret of hook and admitd: one token in a file only root/SlurmUser can read. */
public final class Secrets {
    private Secrets() {
    }

    /** Reads the token, or creates the file (mode 0600) with 24 random bytes in hex. */
    public static String readOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] b = new byte[24];
            new SecureRandom().nextBytes(b);
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, HexFormat.of().formatHex(b), StandardCharsets.US_ASCII);
        }
        return read(file);
    }

    public static String read(Path file) throws IOException {
        String s = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (!s.matches("[A-Za-z0-9._:/-]{16,256}")) {
            throw new IllegalArgumentException(file + ": the secret must be 16..256 characters of [A-Za-z0-9._:/-]");
        }
        return s;
    }
}
