package io.gpucolo.admitd;

import io.gpucolo.admission.policy.Policy;
import java.util.Locale;
import java.util.Optional;

/**
 * What a job asks of gpucolo, read from its Slurm comment by the site's convention
 * ({@link Policy.SlurmConventions}): {@code gpucolo:service=NAME} for an inference service,
 * {@code gpucolo:colocate [share=P] [mem=SIZE] [restartable]} (or the training QOS) for co-located training.
 * SIZE is MiB, or a number with a {@code M}, {@code G} or {@code T} suffix.
 *
 * @param service     the service name, when the job is an inference service
 * @param sharePercent requested MPS share (training), 1..100
 * @param memoryMiB    requested GPU memory, MiB (training)
 * @param restartable  whether the training job may be requeued
 */
record JobOptions(Optional<String> service, int sharePercent, long memoryMiB, boolean restartable) {
    /** Share when the comment names none, percent. */
    static final int DEFAULT_SHARE = 20;
    private static final java.util.regex.Pattern BLANKS = java.util.regex.Pattern.compile("\\s+");

    /**
     * Parses a comment. Returns empty when the job does not opt in at all.
     *
     * @throws IllegalArgumentException with a message for the user when it opts in but the options are wrong
     */
    static Optional<JobOptions> parse(String comment, String qos, Policy.SlurmConventions c, long defaultMemoryMiB) {
        String text = comment == null ? "" : comment.strip();
        if (text.startsWith(c.servicePrefix())) {
            String name = text.substring(c.servicePrefix().length());
            if (name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("expected --comment=" + c.servicePrefix() + "NAME with one service name");
            }
            return Optional.of(new JobOptions(Optional.of(name), 100, 1, false));
        }
        boolean byComment = text.equals(c.trainingComment()) || text.startsWith(c.trainingComment() + " ");
        boolean byQos = !c.trainingQos().isEmpty() && c.trainingQos().equals(qos);
        if (!byComment && !byQos) {
            if (text.startsWith("gpucolo:")) {
                throw new IllegalArgumentException("unknown gpucolo request '" + clip(text) + "'; use --comment="
                        + c.servicePrefix() + "NAME or --comment='" + c.trainingComment() + " share=P mem=SIZE'");
            }
            return Optional.empty();
        }
        int share = DEFAULT_SHARE;
        long mem = defaultMemoryMiB;
        boolean restartable = false;
        String opts = byComment ? text.substring(c.trainingComment().length()).strip() : "";
        for (String tok : opts.isEmpty() ? new String[0] : BLANKS.split(opts)) {
            if (tok.startsWith("share=")) {
                share = percent(tok.substring(6));
            } else if (tok.startsWith("mem=")) {
                mem = mebibytes(tok.substring(4));
            } else if (tok.equals("restartable")) {
                restartable = true;
            } else {
                throw new IllegalArgumentException("unknown option '" + clip(tok)
                        + "' in --comment (expected share=P mem=SIZE restartable)");
            }
        }
        return Optional.of(new JobOptions(Optional.empty(), share, mem, restartable));
    }

    private static int percent(String v) {
        try {
            int p = Integer.parseInt(v.endsWith("%") ? v.substring(0, v.length() - 1) : v);
            if (p >= 1 && p <= 100) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("share must be a percentage 1..100, got '" + clip(v) + "'");
    }

    static long mebibytes(String v) {
        String s = v.toUpperCase(Locale.ROOT);
        long mult = 1;
        if (s.endsWith("T")) {
            mult = 1024L * 1024;
        } else if (s.endsWith("G")) {
            mult = 1024;
        }
        if (s.endsWith("T") || s.endsWith("G") || s.endsWith("M")) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            long n = Long.parseLong(s);
            if (n >= 1 && n <= 16L * 1024 * 1024 / mult) {
                return n * mult;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("mem must be a size such as 8G or 8192M, got '" + clip(v) + "'");
    }

    static String clip(String s) {
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() <= 60 ? t : t.substring(0, 60) + "...";
    }
}
