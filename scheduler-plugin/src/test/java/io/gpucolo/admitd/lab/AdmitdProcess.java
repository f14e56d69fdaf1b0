package io.gpucolo.admitd.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code gpucolo admitd} as a real child process (this JVM's class path), stopped by SIGTERM or SIGKILL. */
public final class AdmitdProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private AdmitdProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static AdmitdProcess start(SlurmLab lab, Path policy, Path journal, Path log) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), "io.gpucolo.admitd.AdmitdMain",
                "--policy", policy.toString(), "--journal", journal.toString(),
                "--secret-file", lab.secretFile().toString(), "--slurm-conf", lab.slurmConf().toString(),
                "--reconcile-ms", "500", "--journal-compact-bytes", "4096"));      // compacts every few decisions
        Files.deleteIfExists(log);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        AdmitdProcess a = new AdmitdProcess(p, log);
        SlurmLab.waitFor(() -> a.log().contains("admitd: listening") || !p.isAlive(), Duration.ofSeconds(90),
                "admitd to listen");
        if (!p.isAlive()) {
            throw new IOException("admitd exited " + p.exitValue() + ":\n" + a.log());
        }
        return a;
    }

    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook runs. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then wait. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
