package io.gpucolo.node.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/gpucolo hooks-archive} and the hooks' use of the archive, through the real launcher script and real JVMs:
 * the archive is written and passed to the JVM, which maps it; an untrusted (group-writable) one is not passed; a
 * stale one is refused by the JVM with a warning on stderr; and whatever the archive (used, untrusted, stale, garbage,
 * missing) the job sees the same thing: the TaskProlog's stdout is exactly its export lines, exit 0.
 */
class HooksArchiveTest {
    private static final String EXPORTS = "export CUDA_VISIBLE_DEVICES=0\n";

    @TempDir
    Path dir;
    private Path launcher;
    private Path archive;
    private Path firstJar;
    private String classpath;

    @BeforeEach
    void setUp() throws IOException {
        launcher = Path.of(System.getProperty("gpucolo.root", "..")).resolve("bin/gpucolo").toAbsolutePath();
        archive = dir.resolve("hooks.jsa");
        // an AppCDS archive needs a classpath of jars: pack the test run's class folders
        List<String> cp = new ArrayList<>();
        int n = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            if (Files.isDirectory(p)) {
                Path jar = dir.resolve("cp" + n++ + ".jar");
                pack(p, jar);
                cp.add(jar.toString());
            } else if (Files.isRegularFile(p)) {
                cp.add(p.toString());
            }
        }
        firstJar = Path.of(cp.get(0));
        classpath = String.join(File.pathSeparator, cp);
        Path state = dir.resolve("state");
        Files.createDirectories(state.resolve("jobs"));
        Files.writeString(state.resolve("jobs/7"), "job=7\nuid=0\ngpu=2\nrole=training\nshare=30\nmem_mib=1024\nmps=true\nservice=\n");
        Files.writeString(dir.resolve("node.conf"), "state_dir = " + state + "\nmps_pipe_root = " + dir.resolve("mps")
                + "\nmps_log_root = " + dir.resolve("mpslog") + "\n");
    }

    @Test
    void archiveIsWrittenUsedAndEveryBadArchiveFallsBackSilently() throws Exception {
        Run made = run(Map.of(), "hooks-archive");
        assertEquals(0, made.rc, made.err);
        assertTrue(Files.size(archive) > 0);
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(archive)));

        Run used = taskProlog("used");
        assertTrue(used.javaArgs.contains("-XX:SharedArchiveFile=" + archive), used.javaArgs);
        assertFalse(used.err.contains("Unable to use shared archive"), used.err);

        Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rw-rw-r--"));
        Run untrusted = taskProlog("untrusted");
        assertFalse(untrusted.javaArgs.contains("SharedArchiveFile"), "a group-writable archive was used: " + untrusted.javaArgs);
        Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rw-r--r--"));

        Files.setLastModifiedTime(firstJar, FileTime.fromMillis(Files.getLastModifiedTime(firstJar).toMillis() - 60_000));
        Run stale = taskProlog("stale");
        assertTrue(stale.err.contains("Unable to use shared archive"), "the JVM should refuse a stale archive: " + stale.err);

        Files.writeString(archive, "not an archive\n");
        taskProlog("garbage");
        Files.delete(archive);
        assertFalse(taskProlog("missing").javaArgs.contains("SharedArchiveFile"));
    }

    /**
     * Runs the TaskProlog of job 7 through a java wrapper that records the JVM's arguments; asserts its stdout is
     * exactly the export lines and it exits 0.
     */
    private Run taskProlog(String label) throws Exception {
        Path args = dir.resolve(label + ".args");
        Path java = dir.resolve(label + "-java");
        Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + args + "\nexec "
                + Path.of(System.getProperty("java.home"), "bin", "java") + " \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        Run r = run(Map.of("SLURM_JOB_ID", "7", "GPUCOLO_JAVA", java.toString()), "taskprolog",
                "--config", dir.resolve("node.conf").toString());
        assertEquals(0, r.rc, label + ": " + r.err);
        assertTrue(r.out.startsWith(EXPORTS) && r.out.lines().allMatch(l -> l.startsWith("export ")), label + ": " + r.out);
        assertEquals(7, r.out.lines().count(), label + ": " + r.out);
        return new Run(r.rc, r.out, r.err, Files.readString(args));
    }

    private record Run(int rc, String out, String err, String javaArgs) {
    }

    private Run run(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("GPUCOLO_CLASSPATH", classpath);
        pb.environment().put("GPUCOLO_HOOKS_CDS", archive.toString());
        pb.environment().putIfAbsent("GPUCOLO_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
        return new Run(p.exitValue(), Files.readString(dir.resolve("out")), Files.readString(dir.resolve("err")), "");
    }

    private static void pack(Path classes, Path jar) throws IOException {
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os);
             Stream<Path> walk = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace(File.separatorChar, '/')));
                Files.copy(p, out);
                out.closeEntry();
            }
        }
    }
}
