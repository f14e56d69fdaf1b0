package io.gpucolo.admission.latency;

import io.gpucolo.admission.model.ServiceLoad;

/**
 * Predicts an inference service's latency on a GPU from its load and what runs beside it. Implementations
 * are pure and thread-safe; they are calibrated from measurement profiles (see {@code docs/MODEL.md}).
 * The same model drives admission (headroom), the simulator's GPU and the emulated GPU.
 */
public interface LatencyModel {
    /**
     * @param modelName    the service's profile name (e.g. {@code resnet50})
     * @param gpuModel     the GPU model name (e.g. {@code A100-80GB}); unknown models are scaled by a documented rule
     * @param load         offered request rate and batch
     * @param inferencePercent the MPS active-thread percentage the inference service runs with (normally 100)
     * @param interference what else runs on the GPU
     */
    LatencyEstimate predict(String modelName, String gpuModel, ServiceLoad load, int inferencePercent,
                            Interference interference);

    /** Latency of one batch alone on a whole GPU, ms: the floor no SLO can be set below. */
    double soloBatchLatencyMs(String modelName, String gpuModel, int batch);

    /** True when a profile for this service model exists. */
    boolean knows(String modelName);
}
