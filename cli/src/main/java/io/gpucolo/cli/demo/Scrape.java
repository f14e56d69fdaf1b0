package io.gpucolo.cli.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads a Prometheus text exposition (version 0.0.4) over loopback HTTP, with a short timeout: the demo
 * samples the emulated inference servers' latency histograms and noded's gauges once a second. Lines it
 * cannot parse are skipped (a scrape is an observation, not input the demo acts on).
 */
final class Scrape {
    /** One sample: metric name, labels and value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private Scrape() {
    }

    /** Fetches and parses {@code url}; empty when the endpoint is down, slow or not HTTP 200. */
    static Optional<List<Sample>> fetch(URI url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(parse(r.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static List<Sample> parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space;
            String name;
            Map<String, String> labels = new LinkedHashMap<>();
            if (brace >= 0 && brace < line.indexOf(' ')) {
                int close = line.lastIndexOf('}');
                if (close < brace) {
                    continue;
                }
                name = line.substring(0, brace);
                parseLabels(line.substring(brace + 1, close), labels);
                space = close + 1;
            } else {
                space = line.indexOf(' ');
                if (space < 0) {
                    continue;
                }
                name = line.substring(0, space);
            }
            String[] rest = line.substring(space).strip().split("\\s+");
            try {
                out.add(new Sample(name, Map.copyOf(labels), Double.parseDouble(rest[0].replace("+Inf", "Infinity"))));
            } catch (NumberFormatException e) {
                // not a sample line; skipped
            }
        }
        return out;
    }

    private static void parseLabels(String body, Map<String, String> into) {
        int i = 0;
        while (i < body.length()) {
            int eq = body.indexOf('=', i);
            if (eq < 0 || eq + 1 >= body.length() || body.charAt(eq + 1) != '"') {
                return;
            }
            StringBuilder v = new StringBuilder();
            int j = eq + 2;
            while (j < body.length() && body.charAt(j) != '"') {
                if (body.charAt(j) == '\\' && j + 1 < body.length()) {
                    j++;
                }
                v.append(body.charAt(j++));
            }
            into.put(body.substring(i, eq).strip(), v.toString());
            i = j + 1;
            while (i < body.length() && (body.charAt(i) == ',' || body.charAt(i) == ' ')) {
                i++;
            }
        }
    }

    /** The cumulative bucket counts of histogram {@code base} ({@code base_bucket}), by upper bound. */
    static TreeMap<Double, Double> buckets(List<Sample> samples, String base, Map<String, String> match) {
        TreeMap<Double, Double> out = new TreeMap<>();
        for (Sample s : samples) {
            if (s.name().equals(base + "_bucket") && s.labels().entrySet().containsAll(match.entrySet())) {
                String le = s.labels().get("le");
                if (le != null) {
                    out.merge(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), s.value(), Double::sum);
                }
            }
        }
        return out;
    }

    /**
     * The q-quantile of the observations between two scrapes of one histogram, from the bucket deltas:
     * the upper bound of the first bucket whose delta count reaches {@code q * total} (the conservative
     * choice: never below the true quantile); +Infinity when it lies beyond the last finite bound; NaN when
     * nothing was observed in between.
     */
    static double quantileBetween(TreeMap<Double, Double> before, TreeMap<Double, Double> after, double q) {
        double total = after.lastEntry() == null ? 0
                : after.lastEntry().getValue() - before.getOrDefault(after.lastKey(), 0.0);
        if (!(total > 0)) {
            return Double.NaN;
        }
        double need = q * total;
        for (Map.Entry<Double, Double> e : after.entrySet()) {
            double delta = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
            if (delta >= need) {
                return e.getKey();
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** The value of the first sample named {@code name} whose labels include {@code match}; NaN if none. */
    static double value(List<Sample> samples, String name, Map<String, String> match) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(match.entrySet()))
                .mapToDouble(Sample::value).findFirst().orElse(Double.NaN);
    }
}
