package io.gpucolo.admission.forecast;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Readers for the real rate traces: ServeGen rates per 10-minute window ({@code model,window_start_s,
 * total_rate_rps,num_clients}; Xiang et al., Apache-2.0) and Azure LLM inference arrivals ({@code TIMESTAMP,
 * ContextTokens,GeneratedTokens}; Patel et al., CC BY 4.0), aggregated into rates per bucket. A bad row is
 * refused with {@code FILE:LINE: message}.
 */
public final class RateTraces {
    static final String SERVEGEN_HEADER = "model,window_start_s,total_rate_rps,num_clients";
    static final String AZURE_HEADER = "TIMESTAMP,ContextTokens,GeneratedTokens";
    private static final DateTimeFormatter AZURE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSSS]");

    private RateTraces() {
    }

    /**
     * ServeGen: one series per model, in file order; a sample is stamped at the end of its 10-minute window
     * (the rate is known once the window closes), from the epoch origin.
     */
    public static Map<String, List<RateSample>> servegen(Path csv) throws IOException {
        Map<String, List<RateSample>> out = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            header(csv, in, SERVEGEN_HEADER);
            int lineNo = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",");
                try {
                    if (f.length != 4) {
                        throw new IllegalArgumentException("expected 4 fields, got " + f.length);
                    }
                    long start = Long.parseLong(f[1]);
                    out.computeIfAbsent(f[0], k -> new ArrayList<>())
                            .add(new RateSample(Instant.ofEpochSecond(start + 600), Double.parseDouble(f[2])));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(csv + ":" + lineNo + ": " + e.getMessage(), e);
                }
            }
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return out;
    }

    /** Azure LLM: arrivals counted per bucket, each bucket's rate stamped at its end; empty buckets are 0. */
    public static List<RateSample> azureArrivals(Path csv, Duration bucket) throws IOException {
        List<Instant> arrivals = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            header(csv, in, AZURE_HEADER);
            int lineNo = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                int comma = line.indexOf(',');
                try {
                    String ts = comma < 0 ? line : line.substring(0, comma);
                    arrivals.add(LocalDateTime.parse(ts, AZURE_TIME).toInstant(ZoneOffset.UTC));
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException(csv + ":" + lineNo + ": bad timestamp: " + e.getMessage(), e);
                }
            }
        }
        return bucketize(arrivals, bucket);
    }

    /** Counts arrivals (any order) per bucket from the first arrival on; rate = count / bucket length. */
    public static List<RateSample> bucketize(List<Instant> arrivals, Duration bucket) {
        if (arrivals.isEmpty()) {
            return List.of();
        }
        long bucketNs = bucket.toNanos();
        if (bucketNs <= 0) {
            throw new IllegalArgumentException("bucket must be positive");
        }
        Instant first = arrivals.stream().min(Instant::compareTo).orElseThrow();
        Instant lastT = arrivals.stream().max(Instant::compareTo).orElseThrow();
        int n = (int) (Duration.between(first, lastT).toNanos() / bucketNs) + 1;
        long[] counts = new long[n];
        for (Instant a : arrivals) {
            counts[(int) (Duration.between(first, a).toNanos() / bucketNs)]++;
        }
        List<RateSample> out = new ArrayList<>(n);
        double seconds = bucketNs / 1e9;
        for (int i = 0; i < n; i++) {
            out.add(new RateSample(first.plusNanos(bucketNs * (i + 1)), counts[i] / seconds));
        }
        return List.copyOf(out);
    }

    private static void header(Path csv, BufferedReader in, String expected) throws IOException {
        String h = in.readLine();
        if (h == null || !h.trim().equals(expected)) {
            throw new IllegalArgumentException(csv + ":1: expected header '" + expected + "'");
        }
    }
}
