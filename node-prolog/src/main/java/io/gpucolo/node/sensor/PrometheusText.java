package io.gpucolo.node.sensor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads one histogram out of the Prometheus text exposition format (version 0.0.4), the format Triton, vLLM and
 * TorchServe serve: {@code NAME_bucket{...,le="0.5"} 12}, {@code NAME_sum}, {@code NAME_count}. Series of the same
 * histogram with other labels (several models, several instances) are added together. Comments and other metrics are
 * skipped; a malformed line of this histogram is an error with its line number.
 */
final class PrometheusText {
    private PrometheusText() {
    }

    static HistogramSnapshot parse(Reader text, String name, String where) throws IOException, SensorUnavailableException {
        Map<Double, Double> buckets = new TreeMap<>();
        double sum = 0;
        double count = 0;
        boolean seenCount = false;
        BufferedReader in = new BufferedReader(text);
        String line;
        int lineNo = 0;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isEmpty() || line.charAt(0) == '#' || !line.startsWith(name)) {
                continue;
            }
            String rest = line.substring(name.length());
            try {
                if (rest.startsWith("_bucket")) {
                    String labels = labelsOf(rest.substring(7));
                    double le = parseLe(labels);
                    buckets.merge(le, valueOf(rest), Double::sum);
                } else if (rest.startsWith("_sum")) {
                    sum += valueOf(rest.substring(4));
                } else if (rest.startsWith("_count")) {
                    count += valueOf(rest.substring(6));
                    seenCount = true;
                }
            } catch (IllegalArgumentException e) {
                throw new SensorUnavailableException(where + ":" + lineNo + ": " + e.getMessage() + " in '" + abbreviate(line) + "'");
            }
        }
        if (buckets.isEmpty() || !seenCount) {
            throw new SensorUnavailableException(where + ": no histogram named '" + name + "' (need " + name
                    + "_bucket{le=...} and " + name + "_count)");
        }
        double[] bounds = new double[buckets.size()];
        double[] cumulative = new double[buckets.size()];
        int i = 0;
        for (Map.Entry<Double, Double> e : buckets.entrySet()) {
            bounds[i] = e.getKey();
            cumulative[i++] = e.getValue();
        }
        try {
            return new HistogramSnapshot(bounds, cumulative, sum, count);
        } catch (IllegalArgumentException e) {
            throw new SensorUnavailableException(where + ": histogram '" + name + "': " + e.getMessage());
        }
    }

    private static String labelsOf(String afterSuffix) {
        if (!afterSuffix.startsWith("{")) {
            throw new IllegalArgumentException("bucket without labels");
        }
        int close = afterSuffix.indexOf('}');
        if (close < 0) {
            throw new IllegalArgumentException("unterminated label set");
        }
        return afterSuffix.substring(1, close);
    }

    private static double parseLe(String labels) {
        int at = labels.indexOf("le=\"");
        if (at < 0 || (at > 0 && labels.charAt(at - 1) != ',' && labels.charAt(at - 1) != ' ')) {
            throw new IllegalArgumentException("bucket without an le label");
        }
        int end = labels.indexOf('"', at + 4);
        if (end < 0) {
            throw new IllegalArgumentException("unterminated le label");
        }
        return number(labels.substring(at + 4, end));
    }

    /** The sample value: the first field after the metric name and optional labels (a timestamp may follow). */
    private static double valueOf(String rest) {
        int close = rest.lastIndexOf('}');
        String fields = (close >= 0 ? rest.substring(close + 1) : rest).trim();
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("missing value");
        }
        int space = fields.indexOf(' ');
        double v = number(space < 0 ? fields : fields.substring(0, space));
        if (!(v >= 0)) {
            throw new IllegalArgumentException("negative or NaN count " + v);
        }
        return v;
    }

    private static double number(String s) {
        switch (s) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a number: '" + abbreviate(s) + "'");
                }
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
