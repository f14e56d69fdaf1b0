package io.gpucolo.node.hooks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the prolog hands to the TaskProlog and the epilog (SLURM.md section 7: MPS jobs get no GPU variables in the
 * TaskProlog, so the root prolog writes them to a file per job), at {@code STATE/jobs/JOBID}, mode 0644, written
 * atomically. Lines {@code key=value}.
 */
record JobFile(String jobId, long uid, int gpu, Decision.Role role, int share, long memMiB, boolean mps, String service) {

    String text() {
        // concatenation, not String.format: a Formatter loads the locale providers, tens of ms of a hook's start-up
        return "job=" + jobId + "\nuid=" + uid + "\ngpu=" + gpu + "\nrole=" + role.name().toLowerCase(Locale.ROOT)
                + "\nshare=" + share + "\nmem_mib=" + memMiB + "\nmps=" + mps + "\nservice=" + (service == null ? "" : service) + "\n";
    }

    void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text(), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Empty when there is no file (the job is not co-located); IllegalArgumentException naming file:line when garbled. */
    static Optional<JobFile> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage());
        }
        Map<String, String> m = new HashMap<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            int eq = lines[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ":1: expected key=value");
            }
            m.put(lines[i].substring(0, eq), lines[i].substring(eq + 1));
        }
        try {
            String service = m.getOrDefault("service", "");
            return Optional.of(new JobFile(req(m, "job"), Long.parseLong(req(m, "uid")), Integer.parseInt(req(m, "gpu")),
                    Decision.Role.valueOf(req(m, "role").toUpperCase(Locale.ROOT)), Integer.parseInt(req(m, "share")),
                    Long.parseLong(req(m, "mem_mib")), Boolean.parseBoolean(req(m, "mps")), service.isEmpty() ? null : service));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": garbled job file: " + e.getMessage());
        }
    }

    private static String req(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing " + key);
        }
        return v;
    }
}
