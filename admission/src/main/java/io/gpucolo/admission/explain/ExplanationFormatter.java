package io.gpucolo.admission.explain;

import io.gpucolo.admission.model.Decision;
import io.gpucolo.admission.model.TrainingRequest;
import io.gpucolo.admission.pipeline.Evaluation;
import io.gpucolo.admission.pipeline.GpuVerdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders an {@link Evaluation} as text for admins: the request, the decision, then one line per GPU (the
 * chosen one first, then the feasible ones by score, then the filtered ones) with why it was filtered or
 * how it scored, and a summary count per outcome. Used by {@code gpucolo explain} in both its modes.
 */
public final class ExplanationFormatter {
    private final int maxGpuLines;

    /** @param maxGpuLines at most this many per-GPU lines (the summary always counts every GPU) */
    public ExplanationFormatter(int maxGpuLines) {
        if (maxGpuLines < 0) {
            throw new IllegalArgumentException("maxGpuLines must be >= 0");
        }
        this.maxGpuLines = maxGpuLines;
    }

    public String format(Evaluation e) {
        StringBuilder b = new StringBuilder();
        TrainingRequest r = e.request();
        b.append(String.format(Locale.ROOT, "job %s (owner %s): share %d%%, memory %d MiB, expected %s, %s%s%n",
                r.jobId(), r.owner(), r.sharePercent(), r.memoryMiB(), duration(r.expectedDuration()),
                r.restartable() ? "restartable" : "not restartable", slurm(r)));
        b.append("policy: ").append(e.policy()).append(", ").append(e.verdicts().isEmpty() && !e.preFilter().isSuccess()
                ? "refused before any GPU was examined" : e.verdicts().size() + " GPUs").append('\n');
        b.append("decision: ").append(decision(e.decision())).append('\n');
        if (!e.preFilter().isSuccess()) {
            b.append("pre-filter ").append(e.preFilter()).append('\n');
            return b.toString();
        }
        List<GpuVerdict> order = new ArrayList<>(e.verdicts());
        order.sort(Comparator.comparing((GpuVerdict v) -> !v.chosen())
                .thenComparing(v -> !v.status().isSuccess())
                .thenComparing(v -> -v.score()));
        b.append(String.format(Locale.ROOT, "%n%-28s %-32s %5s %5s  %s%n", "GPU", "verdict", "free", "score", "why"));
        int shown = 0;
        for (GpuVerdict v : order) {
            if (shown++ >= maxGpuLines) {
                b.append(String.format(Locale.ROOT, "... %d more GPUs (use --all to list every GPU)%n",
                        order.size() - maxGpuLines));
                break;
            }
            b.append(String.format(Locale.ROOT, "%-28s %-32s %4d%% %5s  %s%n", v.gpu(), verdict(v), v.freePercent(),
                    v.score() < 0 ? "-" : Integer.toString(v.score()), why(v)));
        }
        b.append(summary(e.verdicts()));
        return b.toString();
    }

    /** One line for a decision, e.g. {@code ADMIT on n1:g0 at 30% MPS, memory limit 8192 MiB}. */
    public static String decision(Decision d) {
        if (d instanceof Decision.Admit a) {
            return "ADMIT on " + a.placement().gpu() + " at " + a.placement().mpsPercent() + "% MPS, memory limit "
                    + a.placement().memoryLimitMiB() + " MiB";
        }
        if (d instanceof Decision.Defer f) {
            return "DEFER (no room now; retried when headroom appears): " + f.reason();
        }
        Decision.Reject j = (Decision.Reject) d;
        return "REJECT (" + (j.couldEverSucceed() ? "not under this policy" : "can never fit") + "): " + j.reason();
    }

    private static String verdict(GpuVerdict v) {
        if (v.chosen()) {
            return "CHOSEN";
        }
        if (v.status().isSuccess()) {
            return v.considered() ? "fits, scored" : "fits, not scored";
        }
        return "filtered: " + v.status().plugin() + " [" + v.status().code().words() + "]";
    }

    private static String why(GpuVerdict v) {
        String base = v.status().isSuccess() ? "" : v.status().reason();
        if (v.status().isSuccess() && !v.considered()) {
            base = "not scored: the policy chose among the feasible GPUs it met first";
        }
        if (v.note().isEmpty()) {
            return base;
        }
        return base.isEmpty() ? v.note() : base + "; " + v.note();
    }

    private static String summary(List<GpuVerdict> verdicts) {
        Map<String, Integer> counts = new TreeMap<>();
        int fit = 0;
        for (GpuVerdict v : verdicts) {
            if (v.status().isSuccess()) {
                fit++;
            } else {
                counts.merge(v.status().code().words() + " (" + v.status().plugin() + ")", 1, Integer::sum);
            }
        }
        StringBuilder b = new StringBuilder("summary: ").append(fit).append(" fit");
        for (Map.Entry<String, Integer> c : counts.entrySet()) {
            b.append(", ").append(c.getValue()).append(' ').append(c.getKey());
        }
        return b.append('\n').toString();
    }

    private static String slurm(TrainingRequest r) {
        StringBuilder b = new StringBuilder();
        if (!r.partition().isEmpty()) {
            b.append(", partition ").append(r.partition());
        }
        if (!r.qos().isEmpty()) {
            b.append(", qos ").append(r.qos());
        }
        if (!r.account().isEmpty()) {
            b.append(", account ").append(r.account());
        }
        return b.toString();
    }

    private static String duration(java.time.Duration d) {
        long s = d.toSeconds();
        return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "min" : s + "s";
    }
}
