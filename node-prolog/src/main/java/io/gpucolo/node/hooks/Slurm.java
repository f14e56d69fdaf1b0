package io.gpucolo.node.hooks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two Slurm commands the hooks need, run at the configured absolute path with argument lists: read a job's
 * admin comment ({@code scontrol show job -o ID}; a decision file {@code STATE/decisions/ID} holding the admin
 * comment takes precedence, for sites that push decisions to nodes) and drain this node with a reason.
 */
final class Slurm {
    private static final Pattern ADMIN_COMMENT = Pattern.compile("(?:^|\\s)AdminComment=(.*?)(?=\\s[A-Z][A-Za-z:/]*=|$)");
    private final HookConfig cfg;

    Slurm(HookConfig cfg) {
        this.cfg = cfg;
    }

    /** The job's admin comment; empty when it has none ({@code (null)}); IOException when it cannot be read. */
    Optional<String> adminComment(String jobId) throws IOException {
        Path decision = cfg.stateDir().resolve("decisions").resolve(jobId);
        try {
            return Optional.of(Files.readString(decision, StandardCharsets.UTF_8).trim()).filter(s -> !s.isEmpty());
        } catch (NoSuchFileException e) {
            // ask slurmctld
        }
        String out = run(List.of(cfg.scontrol().toString(), "show", "job", "-o", jobId));
        return parseAdminComment(out);
    }

    static Optional<String> parseAdminComment(String scontrolLine) {
        Matcher m = ADMIN_COMMENT.matcher(scontrolLine.strip());
        if (!m.find()) {
            return Optional.empty();
        }
        String v = m.group(1).trim();
        return v.isEmpty() || v.equals("(null)") ? Optional.empty() : Optional.of(v);
    }

    /** {@code scontrol update nodename=NODE state=drain reason=REASON}. */
    void drain(String node, String reason) throws IOException {
        String r = reason.length() > 200 ? reason.substring(0, 200) : reason;
        run(List.of(cfg.scontrol().toString(), "update", "nodename=" + node, "state=drain", "reason=" + r));
    }

    private String run(List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectErrorStream(true);
        Path out = io.gpucolo.node.mps.ScratchFile.create("gpucolo-scontrol-");
        try {
            pb.redirectOutput(out.toFile());
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process p = pb.start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish within 5 s");
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + text.strip());
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
