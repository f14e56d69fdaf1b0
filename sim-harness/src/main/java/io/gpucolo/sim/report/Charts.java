package io.gpucolo.sim.report;

import io.gpucolo.sim.metrics.RunResult;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The report's charts, drawn with JFreeChart headless and returned as base64 PNG for inline embedding. */
final class Charts {
    static final int W = 900;
    static final int H = 420;

    private Charts() {
    }

    static String gpusOverTime(List<RunResult> runs) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (RunResult r : runs) {
            XYSeries s = new XYSeries(r.policy());
            double[] h = r.gpusPerHour();
            for (int i = 0; i < h.length; i++) {
                s.add(i / 24.0, h[i]);
            }
            data.addSeries(s);
        }
        return png(ChartFactory.createXYLineChart("GPUs open over time (hourly average)", "day", "GPUs", data,
                PlotOrientation.VERTICAL, true, false, false));
    }

    static String violations(List<RunResult> runs) {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        for (RunResult r : runs) {
            d.addValue(100 * r.jobTailViolation(), "per job, p99", r.policy());
            d.addValue(100 * r.windowTailViolation(), "per time, p99", r.policy());
            d.addValue(100 * r.jobMeanViolation(), "per job, mean", r.policy());
            d.addValue(100 * r.windowMeanViolation(), "per time, mean", r.policy());
        }
        return png(ChartFactory.createBarChart("Inference SLO violations", "policy", "% violating", d,
                PlotOrientation.VERTICAL, true, false, false));
    }

    static String slowdownCdf(List<RunResult> runs) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (RunResult r : runs) {
            float[] v = r.slowdowns();
            if (v.length == 0) {
                continue;
            }
            XYSeries s = new XYSeries(r.policy());
            int step = Math.max(1, v.length / 500);
            for (int i = 0; i < v.length; i += step) {
                s.add(Math.min(v[i], 20), (i + 1.0) / v.length);
            }
            s.add(Math.min(v[v.length - 1], 20), 1.0);
            data.addSeries(s);
        }
        return png(ChartFactory.createXYLineChart("Training slowdown CDF (capped at 20x)", "slowdown (finish - arrival) / trace duration",
                "fraction of training pieces", data, PlotOrientation.VERTICAL, true, false, false));
    }

    /** Worst p99/SLO on the first sample GPUs of a controlled policy; 1.0 is the SLO. */
    static String latencyVsSlo(RunResult r) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (int g = 0; g < r.sampleTimesMs().length; g++) {
            XYSeries s = new XYSeries("GPU sample " + (g + 1));
            long[] t = r.sampleTimesMs()[g];
            float[] v = r.sampleRatios()[g];
            for (int i = 0; i < t.length; i++) {
                s.add((t[i] - r.originMs()) / 86_400_000.0, Math.min(3, v[i]));
            }
            data.addSeries(s);
        }
        XYSeries slo = new XYSeries("SLO");
        slo.add(0, 1);
        slo.add((r.endMs() - r.originMs()) / 86_400_000.0, 1);
        data.addSeries(slo);
        return png(ChartFactory.createXYLineChart(r.policy() + ": worst p99 / SLO on sample co-located GPUs (capped at 3)",
                "day", "p99 / SLO", data, PlotOrientation.VERTICAL, true, false, false));
    }

    private static String png(JFreeChart chart) {
        BufferedImage img = chart.createBufferedImage(W, H);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
