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
 * to {@code LAB/lib}, world-readable, installs {@code bin/gpucolo} itself (packed in the jar) as
 * {@code LAB/bin/gpucolo-launcher} and writes {@code LAB/bin/gpucolo}, a wrapper that runs it on that classpath with
 * this JVM (absolute paths), then the hooks' AppCDS archive {@code LAB/lib/hooks.jsa} when the classpath allows.
 */
final class LabLauncher {
    /** The copy of bin/gpucolo under {@code LAB/bin}; {@code LAB/bin/gpucolo} is the wrapper that runs it. */
    private static final String REAL = "gpucolo-launcher";

    private LabLauncher() {
    }

    /**
     * {@code gpucolo hooks-archive} for the lab (faster hooks). Only a classpath of jars can be archived: from a test
     * run's class folders it fails, and the hooks run without an archive, as on any node that has none.
     */
    private static void hooksArchive(Path launcher) throws IOException {
        try {
            Process p = new ProcessBuilder(launcher.toString(), "hooks-archive").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
            // bin/gpucolo itself (packed into the jar) picks the JVM options and entry points; the lab's wrapper only
            // points it at this copy of the classpath, this JVM and the lab's hooks archive
            Path real = bin.resolve(REAL).toAbsolutePath();
            try (var in = LabLauncher.class.getResourceAsStream("gpucolo")) {
                if (in == null) {
                    throw new IOException("bin/gpucolo is missing from this build's classpath (cli/pom.xml packs it)");
                }
                Files.copy(in, real, StandardCopyOption.REPLACE_EXISTING);
            }
            Path launcher = bin.resolve("gpucolo");
            String script = "#!/bin/sh\n# written by gpucolo demo: bin/gpucolo of this build, on the lab's copy of its classpath\n"
                    + "GPUCOLO_CLASSPATH=" + shQuote(String.join(File.pathSeparator, entries)) + "\n"
                    + "GPUCOLO_JAVA=" + shQuote(javaBin()) + "\n"
                    + "GPUCOLO_HOOKS_CDS=" + shQuote(lib.resolve("hooks.jsa").toAbsolutePath().toString()) + "\n"
                    + "export GPUCOLO_CLASSPATH GPUCOLO_JAVA GPUCOLO_HOOKS_CDS\n"
                    + "exec " + shQuote(real.toString()) + " \"$@\"\n";
            Files.writeString(launcher, script, StandardCharsets.UTF_8);
            makeReadable(lab);
            hooksArchive(launcher);
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
                    String name = p.getFileName().toString();
                    boolean exec = Files.isDirectory(p) || name.equals("gpucolo") || name.equals(REAL);
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(exec ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
    }
}
