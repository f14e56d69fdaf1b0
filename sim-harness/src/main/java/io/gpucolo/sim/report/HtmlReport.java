package io.gpucolo.sim.report;

import io.gpucolo.sim.metrics.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes {@code summary.csv} and a self-contained {@code report.html} (charts inline as base64 PNG, no external
 * file or script) into the output directory.
 */
public final class HtmlReport {
    private HtmlReport() {
    }

    /**
     * @param title     heading (the command that produced it)
     * @param inputs    lines describing the inputs and what was left out of them
     * @param paper     whether to include the paper comparison
     */
    public static void write(Path dir, String title, List<String> inputs, Summary summary, boolean paper) {
        System.setProperty("java.awt.headless", "true");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("summary.csv"), summary.csv(), StandardCharsets.UTF_8);
            StringBuilder h = new StringBuilder(1 << 20);
            h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>gpucolo sim report</title><style>")
                    .append("body{font-family:sans-serif;max-width:1000px;margin:auto}pre{background:#f4f4f4;padding:8px;")
                    .append("overflow-x:auto}img{max-width:100%}</style></head><body>\n<h1>gpucolo simulation report</h1>\n<p><code>")
                    .append(esc(title)).append("</code></p>\n<h2>Inputs</h2>\n<pre>");
            inputs.forEach(l -> h.append(esc(l)).append('\n'));
            h.append("</pre>\n<h2>Summary</h2>\n<pre>");
            summary.table().forEach(l -> h.append(esc(l)).append('\n'));
            h.append("</pre>\n");
            if (paper) {
                h.append("<h2>Ours beside the paper</h2>\n<pre>");
                summary.paperComparison().forEach(l -> h.append(esc(l)).append('\n'));
                h.append("</pre>\n");
            }
            h.append("<h2>Where the savings come from</h2>\n<p>Saved GPUs against <code>dedicated</code>, split into "
                    + "fractional packing (dedicated - first-fit) and SLO-keeping (first-fit - policy: control, and for "
                    + "ours SLO-aware placement); the last column is the change in per-job p99 violations against "
                    + "uncontrolled packing.</p>\n<pre>");
            summary.decomposition().forEach(l -> h.append(esc(l)).append('\n'));
            h.append("</pre>\n<h2>GPUs over time</h2>\n");
            img(h, Charts.gpusOverTime(summary.runs()));
            h.append("<h2>SLO violations</h2>\n");
            img(h, Charts.violations(summary.runs()));
            h.append("<h2>Latency against the SLO on sample GPUs</h2>\n");
            for (RunResult r : summary.runs()) {
                if (r.sampleTimesMs().length > 0) {
                    img(h, Charts.latencyVsSlo(r));
                }
            }
            h.append("<h2>Training slowdown</h2>\n");
            img(h, Charts.slowdownCdf(summary.runs()));
            h.append("<h2>summary.csv</h2>\n<pre>").append(esc(summary.csv())).append("</pre>\n</body></html>\n");
            Files.writeString(dir.resolve("report.html"), h, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report into " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void img(StringBuilder h, String base64) {
        h.append("<img alt=\"chart\" src=\"data:image/png;base64,").append(base64).append("\">\n");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
