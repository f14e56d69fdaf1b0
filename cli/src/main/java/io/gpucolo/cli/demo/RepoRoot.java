package io.gpucolo.cli.demo;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the gpucolo checkout this build came from (the folder holding {@code etc/lab/bringup.sh}). */
final class RepoRoot {
    private RepoRoot() {
    }

    static Path find() {
        String prop = System.getProperty("gpucolo.root");
        if (prop != null && Files.isRegularFile(Path.of(prop, "etc", "lab", "bringup.sh"))) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        try {
            Path p = Path.of(RepoRoot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path d = p; d != null; d = d.getParent()) {
                if (Files.isRegularFile(d.resolve("etc/lab/bringup.sh"))) {
                    return d;
                }
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("cannot find the gpucolo checkout (etc/lab/bringup.sh) from this build;"
                + " pass --root DIR");
    }
}
