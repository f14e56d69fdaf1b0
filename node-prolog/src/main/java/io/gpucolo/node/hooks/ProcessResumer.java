package io.gpucolo.node.hooks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds a job's stopped processes and resumes them: every process under {@code /proc} whose environment holds
 * {@code SLURM_JOB_ID=ID} and whose state is stopped ({@code T}); SIGCONT goes through the configured {@code kill}
 * (absolute path). The epilog's safety net: whatever
 * noded or anyone left stopped is resumed, noded or not.
 */
final class ProcessResumer {
    private final Path proc;
    private final Path kill;

    ProcessResumer(Path proc, Path kill) {
        this.proc = proc;
        this.kill = kill;
    }

    /** Pids of the job's processes that are stopped now. */
    List<Long> stopped(String jobId) {
        String needle = "SLURM_JOB_ID=" + jobId;
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(proc, ProcessResumer::isPid)) {
            for (Path p : ds) {
                try {
                    if (state(p) == 'T' && contains(Files.readAllBytes(p.resolve("environ")), needle)) {
                        out.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException e) {
                    // gone or not readable
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    private static boolean isPid(Path p) {
        String n = p.getFileName().toString();
        for (int i = 0; i < n.length(); i++) {
            if (n.charAt(i) < '0' || n.charAt(i) > '9') {
                return false;
            }
        }
        return !n.isEmpty();
    }

    private static char state(Path p) throws IOException {
        byte[] stat = Files.readAllBytes(p.resolve("stat"));
        int close = stat.length - 1;
        while (close >= 0 && stat[close] != ')') {
            close--;
        }
        return (char) stat[close + 2];
    }

    private static boolean contains(byte[] env, String variable) {
        for (String v : new String(env, StandardCharsets.UTF_8).split("\0")) {
            if (v.equals(variable)) {
                return true;
            }
        }
        return false;
    }

    /** Sends SIGCONT to each pid; returns how many were signalled. */
    int resume(List<Long> pids) {
        if (pids.isEmpty()) {
            return 0;
        }
        List<String> cmd = new ArrayList<>(List.of(kill.toString(), "-CONT"));
        pids.forEach(p -> cmd.add(Long.toString(p)));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return pids.size();
    }
}
