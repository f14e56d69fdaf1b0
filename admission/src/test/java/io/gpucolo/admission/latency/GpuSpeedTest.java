package io.gpucolo.admission.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The GPU scaling rule and the Gavel throughput ratios behind it. */
class GpuSpeedTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"A100-80GB, 1.0", "NVIDIA A100-SXM4-40GB, 1.0", "Tesla V100-SXM2-32GB, 1.7", "V100M32, 1.7",
            "P100, 2.2321", "Tesla T4, 2.2321", "Tesla K80, 8.1447", "MISC, 2.2321", "NVIDIA H100 80GB HBM3, 0.6",
            "RTX3090, 1.7", "something new, 2.2321"})
    void factors(String gpu, double factor) {
        assertEquals(factor, GpuSpeed.latencyFactor(gpu), 1e-4);
    }

    @Test
    void gavelRatiosAreTheMediansOfTheData() throws IOException {
        JsonNode root = new ObjectMapper().readTree(ModelFitTest.DATA.resolve("gavel/simulation_throughputs.json").toFile());
        assertEquals(GpuSpeed.P100_PER_V100, medianRatio(root, "p100"), 5e-4);
        assertEquals(GpuSpeed.K80_PER_V100, medianRatio(root, "k80"), 5e-4);
    }

    private static double medianRatio(JsonNode root, String gpu) {
        List<Double> r = new ArrayList<>();
        for (Iterator<String> it = root.get("v100").fieldNames(); it.hasNext(); ) {
            String job = it.next();
            double v = root.get("v100").get(job).get("null").asDouble();
            double o = root.get(gpu).path(job).path("null").asDouble(0);
            if (v > 0 && o > 0) {
                r.add(v / o);
            }
        }
        r.sort(Double::compare);
        int n = r.size();
        return n % 2 == 1 ? r.get(n / 2) : (r.get(n / 2 - 1) + r.get(n / 2)) / 2;
    }
}
