package io.gpucolo.admission.latency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Pairwise co-location slowdowns from Gavel's {@code simulation_throughputs.json} (Narayanan et al., OSDI'20, MIT
 * license): for GPU type {@code g}, job {@code A} alone runs at {@code solo} iterations/s and space-shared with job
 * {@code B} at {@code coloc}; the slowdown of {@code A} is {@code solo / coloc}. Only single-GPU jobs (scale
 * factor 1) and pairs where both jobs make progress are kept.
 */
public final class GavelPairs {
    /** One measured pair: the slowdown of {@code job} next to {@code other} on {@code gpu}. */
    public record Pair(String gpu, String job, String other, double solo, double coloc) {
        public double slowdown() {
            return solo / coloc;
        }
    }

    private GavelPairs() {
    }

    public static List<Pair> read(Path json) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(json + ": not valid Gavel JSON: " + e.getMessage(), e);
        }
        List<Pair> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> g = root.fields(); g.hasNext(); ) {
            Map.Entry<String, JsonNode> gpu = g.next();
            if (gpu.getKey().contains("unconsolidated")) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> j = gpu.getValue().fields(); j.hasNext(); ) {
                Map.Entry<String, JsonNode> job = j.next();
                if (!job.getKey().endsWith(", 1)")) {
                    continue;
                }
                double solo = job.getValue().path("null").asDouble(0);
                for (Iterator<Map.Entry<String, JsonNode>> o = job.getValue().fields(); o.hasNext(); ) {
                    Map.Entry<String, JsonNode> other = o.next();
                    JsonNode v = other.getValue();
                    if (other.getKey().equals("null") || !v.isArray() || v.size() != 2 || !other.getKey().endsWith(", 1)")) {
                        continue;
                    }
                    double a = v.get(0).asDouble(0);
                    double b = v.get(1).asDouble(0);
                    if (solo > 0 && a > 0 && b > 0) {
                        out.add(new Pair(gpu.getKey(), job.getKey(), other.getKey(), solo, a));
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /** Median slowdown of the pairs on one GPU type. */
    public static double medianSlowdown(List<Pair> pairs, String gpu) {
        double[] s = pairs.stream().filter(p -> p.gpu().equals(gpu)).mapToDouble(Pair::slowdown).sorted().toArray();
        if (s.length == 0) {
            throw new IllegalArgumentException("no Gavel pairs for GPU " + gpu);
        }
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
