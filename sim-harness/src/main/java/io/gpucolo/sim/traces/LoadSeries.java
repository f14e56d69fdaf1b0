package io.gpucolo.sim.traces;

import java.io.BufferedReader;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shape of inference load over time: a piecewise-constant multiplier of each inference task's nominal
 * request rate, normalized to mean 1, repeated cyclically when the trace outlasts the series. Built from
 * a ServeGen rate series ({@code model,window_start_s,total_rate_rps,num_clients}, one model's rows) or from
 * Azure LLM request arrivals ({@code TIMESTAMP,ContextTokens,GeneratedTokens}, counted per window).
 *
 * @param stepSeconds length of one window
 * @param factors     multiplier per window, mean 1
 */
public record LoadSeries(long stepSeconds, double[] factors) {
    /** A flat load: every inference task runs at its nominal rate all the time. */
    public static final LoadSeries FLAT = new LoadSeries(Long.MAX_VALUE / 4, new double[] {1.0});

    public LoadSeries {
        if (stepSeconds <= 0 || factors.length == 0) {
            throw new IllegalArgumentException("a load series needs a positive step and at least one window");
        }
        factors = factors.clone();
        double sum = 0;
        for (double f : factors) {
            if (!(f >= 0) || Double.isInfinite(f)) {
                throw new IllegalArgumentException("load factors must be finite and >= 0");
            }
            sum += f;
        }
        if (sum <= 0) {
            throw new IllegalArgumentException("load series is zero everywhere");
        }
        double mean = sum / factors.length;
        for (int i = 0; i < factors.length; i++) {
            factors[i] /= mean;
        }
    }

    public boolean flat() {
        return factors.length == 1;
    }

    /** Window index at time {@code t} (seconds); the factor of that window is {@link #factor(long)}. */
    public long window(long t) {
        return Math.floorDiv(t, stepSeconds);
    }

    public double factor(long window) {
        return factors[(int) Math.floorMod(window, (long) factors.length)];
    }

    public double peak() {
        return Arrays.stream(factors).max().orElse(1);
    }

    /** Reads a ServeGen file; {@code model} picks the series (null: the first model in the file). */
    public static LoadSeries servegen(Path f, String model, TraceIssues issues) {
        Map<String, TreeMap<Long, Double>> byModel = new LinkedHashMap<>();
        BufferedReader r = Lines.open(f);
        CsvRow row = new CsvRow();
        try {
            String h = Lines.next(r, f);
            if (h == null || !h.startsWith("model,window_start_s,total_rate_rps")) {
                throw new TraceException(f + ":1: expected a ServeGen header 'model,window_start_s,total_rate_rps,...'");
            }
            long line = 1;
            for (String s = Lines.next(r, f); s != null; s = Lines.next(r, f)) {
                line++;
                if (row.set(s).size() < 3) {
                    issues.bad(f.toString(), line, "expected at least 3 columns, got " + row.size());
                    continue;
                }
                try {
                    double start = row.number(1);
                    double rate = row.number(2);
                    if (start < 0 || rate < 0) {
                        issues.bad(f.toString(), line, "negative window start or rate");
                        continue;
                    }
                    byModel.computeIfAbsent(row.text(0), k -> new TreeMap<>()).put((long) start, rate);
                } catch (NumberFormatException e) {
                    issues.bad(f.toString(), line, "window_start_s or total_rate_rps is not a number");
                }
            }
        } finally {
            Lines.close(r);
        }
        String pick = model != null ? model : byModel.keySet().stream().findFirst()
                .orElseThrow(() -> new TraceException(f + ": no rate rows"));
        TreeMap<Long, Double> series = byModel.get(pick);
        if (series == null || series.isEmpty()) {
            throw new TraceException(f + ": no rows for model '" + pick + "' (models: " + byModel.keySet() + ")");
        }
        long step = series.size() > 1 ? series.higherKey(series.firstKey()) - series.firstKey() : 600;
        double[] v = series.values().stream().mapToDouble(Double::doubleValue).toArray();
        return new LoadSeries(step, v);
    }

    private static final DateTimeFormatter AZURE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSSS][.SSSSSS][.SSS]");

    /** Reads Azure LLM request arrivals and counts them in windows of {@code stepSeconds}. */
    public static LoadSeries azure(Path f, long stepSeconds, TraceIssues issues) {
        TreeMap<Long, Double> counts = new TreeMap<>();
        BufferedReader r = Lines.open(f);
        CsvRow row = new CsvRow();
        long first = Long.MIN_VALUE;
        try {
            String h = Lines.next(r, f);
            if (h == null || !h.startsWith("TIMESTAMP")) {
                throw new TraceException(f + ":1: expected an Azure header 'TIMESTAMP,ContextTokens,GeneratedTokens'");
            }
            long line = 1;
            for (String s = Lines.next(r, f); s != null; s = Lines.next(r, f)) {
                line++;
                try {
                    long t = LocalDateTime.parse(row.set(s).text(0), AZURE).toEpochSecond(java.time.ZoneOffset.UTC);
                    first = first == Long.MIN_VALUE ? t : first;
                    counts.merge(Math.floorDiv(t - first, stepSeconds), 1.0, Double::sum);
                } catch (DateTimeParseException e) {
                    issues.bad(f.toString(), line, "TIMESTAMP is not 'yyyy-MM-dd HH:mm:ss.fffffff': '" + row.text(0) + "'");
                }
            }
        } finally {
            Lines.close(r);
        }
        if (counts.isEmpty()) {
            throw new TraceException(f + ": no request rows");
        }
        int n = (int) (counts.lastKey() + 1);
        double[] v = new double[n];
        counts.forEach((k, c) -> v[k.intValue()] = c);
        return new LoadSeries(stepSeconds, v);
    }
}
