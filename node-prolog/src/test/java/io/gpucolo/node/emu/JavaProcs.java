package io.gpucolo.node.emu;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Test helper: starts real JVM processes on the test class path and sends real signals. */
public final class JavaProcs {
    private JavaProcs() {
    }

    /** Starts {@code java -cp <test class path> main args...} with extra env, output to {@code log}. */
    public static Process start(Class<?> main, Map<String, String> env, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + "/bin/java");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xshare:auto");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return pb.start();
    }

    /** A finished process: exit code and combined output. */
    public record Result(int rc, String output) {
    }

    /** Runs {@code main} to completion with {@code stdin} as its input (bounded by 60 s). */
    public static Result run(Class<?> main, Map<String, String> env, String stdin, String... args)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("gpucolo-proc", ".log");
        Path in = Files.createTempFile("gpucolo-proc", ".in");
        try {
            Files.writeString(in, stdin);
            List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"), main.getName()));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().putAll(env);
            pb.redirectErrorStream(true);
            pb.redirectOutput(log.toFile());
            pb.redirectInput(in.toFile());
            Process p = pb.start();
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IOException(main.getSimpleName() + " did not finish in 60 s: " + Files.readString(log));
            }
            return new Result(p.exitValue(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
            Files.deleteIfExists(in);
        }
    }

    /** Sends a signal by name (STOP, CONT, TERM, USR1...) with /bin/kill. */
    public static void signal(long pid, String sig) throws IOException, InterruptedException {
        int rc = new ProcessBuilder("/bin/kill", "-" + sig, Long.toString(pid)).inheritIO().start().waitFor();
        if (rc != 0) {
            throw new IOException("kill -" + sig + " " + pid + " failed: " + rc);
        }
    }

    /** The process state letter from /proc (R, S, T...), or '?' when gone. */
    public static char state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException e) {
            return '?';
        }
    }

    /** Polls until the condition holds or the timeout passes; returns whether it held. */
    public static boolean await(BooleanSupplier cond, long timeoutMs) throws InterruptedException {
        long end = System.nanoTime() + timeoutMs * 1_000_000;
        while (System.nanoTime() < end) {
            if (cond.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return cond.getAsBoolean();
    }

    public static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    public static void destroy(Process p) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }
}
