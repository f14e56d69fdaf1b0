package io.gpucolo.cli.demo;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Makes this very build of gpucolo runnable by every process of the lab: Slurm's hooks (root, no PATH)
 * and the jobs of the unprivileged demo user, who cannot read the build's own classpath (e.g. jars under
 * {@code /root/.m2}). It copies the classpath (the shaded jar, or the jars and class folders of a test run)
 * to {@code LAB/lib}, world-readable, and writes {@code LAB/bin/gpucolo}, a launcher with absolute paths.
 */
final class LabLauncher {
    private LabLauncher() {
    }

    /** The java binary running this JVM. */
    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Copies {@code classPath} under {@code lab/lib} and writes {@code lab/bin/gpucolo}; returns the launcher.
     */
    static Path install(Path lab, String classPath) {
        try {
            Path lib = lab.resolve("lib");
            Path bin = lab.resolve("bin");
            deleteTree(lib);
            Files.createDirectories(lib);
            Files.createDirectories(bin);
            List<String> entries = new ArrayList<>();
            int n = 0;
            for (String e : classPath.split(File.pathSeparator)) {
                if (e.isBlank()) {
                    continue;
                }
                Path src = Path.of(e);
                if (!Files.exists(src)) {
                    continue;
                }
                Path dst = lib.resolve(String.format("%03d-%s", n++, src.getFileName()));
                copyTree(src, dst);
                entries.add(dst.toAbsolutePath().toString());
            }
            Path launcher = bin.resolve("gpucolo");
            String java = shQuote(javaBin());
            String cp = shQuote(String.join(File.pathSeparator, entries));
            // as bin/gpucolo: hooks start lean (C1 only, no picocli scan), daemons get the full JIT
            String script = "#!/bin/sh\n# written by gpucolo demo: this build's launcher for the lab's hooks and jobs\n"
                    + "case \"${1:-}\" in\n"
                    + "  prolog|epilog|taskprolog) exec " + java + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp "
                    + cp + " io.gpucolo.node.hooks.HooksMain \"$@\" ;;\n"
                    + "  emu-mps-control|status) exec " + java + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp "
                    + cp + " io.gpucolo.cli.Main \"$@\" ;;\n"
                    + "esac\nexec " + java + " -Xshare:auto -cp " + cp + " io.gpucolo.cli.Main \"$@\"\n";
            Files.writeString(launcher, script, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
            makeReadable(lab);
            return launcher;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the lab launcher under " + lab + ": " + e.getMessage(), e);
        }
    }

    /** Quotes a path the demo itself chose (not user data) for a generated sh script. */
    private static String shQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static void copyTree(Path src, Path dst) throws IOException {
        try (Stream<Path> walk = Files.walk(src)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void makeReadable(Path lab) throws IOException {
        for (Path dir : List.of(lab, lab.resolve("lib"), lab.resolve("bin"))) {
            try (Stream<Path> walk = Files.walk(dir, dir.equals(lab) ? 0 : Integer.MAX_VALUE)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    boolean exec = Files.isDirectory(p) || p.getFileName().toString().equals("gpucolo");
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(exec ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
    }
}
