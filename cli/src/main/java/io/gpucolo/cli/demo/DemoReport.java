package io.gpucolo.cli.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Writes the live demo's report: {@code report.html} (self-contained apart from its PNG charts beside it)
 * with the summary figures, latency vs SLO per service, the controller's duty cycle and MPS share per GPU,
 * training throughput, and the event log; and {@code timeline.csv} with every sample.
 */
final class DemoReport {
    private DemoReport() {
    }

    static Path write(Path dir, Timeline tl, DemoSummary s, double wallS)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        chart(dir.resolve("latency.png"), "p99 latency per 1-s window vs SLO",
                "ms", tl, List.of("p99.", "slo."));
        chart(dir.resolve("control.png"), "Node controller: training duty cycle and MPS share (fraction of the GPU)", "fraction",
                tl, List.of("duty.", "share."));
        chart(dir.resolve("training.png"), "Training throughput", "work units / s", tl, List.of("train."));
        writeCsv(dir.resolve("timeline.csv"), tl);
        StringBuilder h = new StringBuilder(4096);
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>gpucolo demo</title>")
                .append("<style>body{font-family:sans-serif;max-width:960px;margin:2em auto}td,th{padding:2px 8px;")
                .append("text-align:left}table{border-collapse:collapse}tr:nth-child(even){background:#f4f4f4}</style>")
                .append("</head><body><h1>gpucolo demo</h1><table>");
        row(h, "demo wall s", fmt(wallS));
        row(h, "burst violation windows %", String.format(Locale.ROOT, "%.2f (%d of %d service-seconds over SLO)",
                s.burstViolationPct(), s.burstViolations(), s.burstWindows()));
        row(h, "training jobs placed on inference GPUs", s.placed() + " (" + s.placedAsChosen()
                + " on exactly the GPU admitd chose)");
        row(h, "training jobs deferred at least once", Integer.toString(s.deferred()));
        row(h, "controller actions", Long.toString(s.controllerActions()));
        row(h, "GPUs used / dedicated / saved", s.gpusUsed() + " / " + s.gpusDedicated() + " / " + s.gpusSaved());
        h.append("</table>");
        for (String png : List.of("latency.png", "control.png", "training.png")) {
            h.append("<p><img src=\"").append(png).append("\" alt=\"").append(png).append("\"></p>");
        }
        h.append("<h2>Events</h2><table><tr><th>t (s)</th><th>kind</th><th>what</th></tr>");
        for (Timeline.Event e : tl.events()) {
            h.append("<tr><td>").append(fmt(e.t())).append("</td><td>").append(esc(e.kind())).append("</td><td>")
                    .append(esc(e.text())).append("</td></tr>");
        }
        h.append("</table><p>Every sample: <a href=\"timeline.csv\">timeline.csv</a></p></body></html>\n");
        Path html = dir.resolve("report.html");
        Files.writeString(html, h, StandardCharsets.UTF_8);
        return html;
    }

    private static void chart(Path png, String title, String yLabel, Timeline tl, List<String> prefixes)
            throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (String prefix : prefixes) {
            for (String name : tl.names(prefix)) {
                XYSeries xy = new XYSeries(name, false, true);
                tl.series(name).forEach(p -> xy.add(p.t(), p.value()));
                data.addSeries(xy);
            }
        }
        JFreeChart c = ChartFactory.createXYLineChart(title, "seconds", yLabel, data, PlotOrientation.VERTICAL,
                true, false, false);
        if (data.getSeriesCount() == 0) {
            c.addSubtitle(new org.jfree.chart.title.TextTitle("no data in this run"));
        }
        ChartUtils.saveChartAsPNG(png.toFile(), c, 900, 360);
    }

    private static void writeCsv(Path csv, Timeline tl) throws IOException {
        StringBuilder b = new StringBuilder("series,t_s,value\n");
        for (String name : tl.names("")) {
            for (Timeline.Point p : tl.series(name)) {
                b.append(name).append(',').append(fmt(p.t())).append(',')
                        .append(String.format(Locale.ROOT, "%.4f", p.value())).append('\n');
            }
        }
        Files.writeString(csv, b, StandardCharsets.UTF_8);
    }

    private static void row(StringBuilder h, String k, String v) {
        h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>");
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
