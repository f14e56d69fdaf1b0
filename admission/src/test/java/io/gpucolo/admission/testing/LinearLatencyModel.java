package io.gpucolo.admission.testing;

import io.gpucolo.admission.latency.Interference;
import io.gpucolo.admission.latency.LatencyEstimate;
import io.gpucolo.admission.latency.LatencyModel;
import io.gpucolo.admission.model.ServiceLoad;
import java.util.Map;

/**
 * A latency model with a closed form, so plugin tests can state exact expected numbers:
 * <pre>
 *   p99 = mean = solo_m × (1 + rps / 100) × (1 + trainingShare / 100)
 * </pre>
 * {@code solo_m} is 10 ms for model {@code m10} and 20 ms for {@code m20}, whatever the GPU and batch.
 */
public final class LinearLatencyModel implements LatencyModel {
    private static final Map<String, Double> SOLO = Map.of("m10", 10.0, "m20", 20.0);

    @Override
    public LatencyEstimate predict(String modelName, String gpuModel, ServiceLoad load, int inferencePercent,
                                   Interference interference) {
        double l = SOLO.get(modelName) * (1 + load.requestsPerSecond() / 100) * (1 + interference.trainingSharePercent() / 100);
        return new LatencyEstimate(l, l);
    }

    @Override
    public double soloBatchLatencyMs(String modelName, String gpuModel, int batch) {
        return SOLO.get(modelName);
    }

    @Override
    public boolean knows(String modelName) {
        return SOLO.containsKey(modelName);
    }
}
