package io.gpucolo.node.emu;

import io.gpucolo.admission.latency.Interference;
import io.gpucolo.admission.latency.LatencyEstimate;
import io.gpucolo.admission.latency.LatencyModel;
import io.gpucolo.admission.model.ServiceLoad;

/**
 * A stand-in {@link LatencyModel} for the emulated GPU, used only when no calibrated model is configured.
 * It knows every model name and every GPU model; its law is deliberately simple:
 * <pre>
 *   solo(b)      = A + B * b                                 (A = 2.0 ms, B = 0.5 ms per item)
 *   slowdown     = (1 + 0.9 * min(T,100)/100 * d) * (1 + 0.5 * o) * 100 / p
 *   s            = solo(b) * slowdown                          service time of one batch
 *   rho          = (lambda / b) * s / 1000                     lambda = requests per second
 *   mean         = s + rho * s / (2 * (1 - rho))               M/D/1 waiting time
 *   p99          = s + 4.6 * (mean - s)                        exponential tail of the wait, ln(100) = 4.6
 * </pre>
 * with T the training share in percent, d the training duty cycle, o the number of other inference
 * processes and p the service's own MPS percentage. Operating range: rho &lt; 1 (at and above 1 the
 * estimate is saturated, +Infinity). The calibrated model of {@code io.gpucolo.admission.latency}
 * replaces it wherever a profile is available.
 */
public final class PlaceholderLatencyModel implements LatencyModel {
    static final double BASE_MS = 2.0;
    static final double PER_ITEM_MS = 0.5;

    @Override
    public LatencyEstimate predict(String modelName, String gpuModel, ServiceLoad load, int inferencePercent,
                                   Interference interference) {
        if (inferencePercent < 1 || inferencePercent > 100) {
            throw new IllegalArgumentException("inference percent must be 1..100, got " + inferencePercent);
        }
        double slowdown = (1 + 0.9 * Math.min(interference.trainingSharePercent(), 100) / 100
                * interference.trainingDutyCycle())
                * (1 + 0.5 * interference.otherInferenceProcesses()) * 100.0 / inferencePercent;
        double s = soloBatchLatencyMs(modelName, gpuModel, load.batch()) * slowdown;
        double rho = load.requestsPerSecond() / load.batch() * s / 1000.0;
        if (rho >= 1) {
            return new LatencyEstimate(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        }
        double mean = s + rho * s / (2 * (1 - rho));
        return new LatencyEstimate(mean, s + 4.6 * (mean - s));
    }

    @Override
    public double soloBatchLatencyMs(String modelName, String gpuModel, int batch) {
        return BASE_MS + PER_ITEM_MS * batch;
    }

    @Override
    public boolean knows(String modelName) {
        return true;
    }
}
