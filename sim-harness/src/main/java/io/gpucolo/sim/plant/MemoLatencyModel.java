package io.gpucolo.sim.plant;

import io.gpucolo.admission.latency.Interference;
import io.gpucolo.admission.latency.LatencyEstimate;
import io.gpucolo.admission.latency.LatencyModel;
import io.gpucolo.admission.model.ServiceLoad;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link LatencyModel} that remembers the answers of another. Latency models are pure, so a remembered answer
 * is exactly the model's answer for the same arguments; the simulator's mirrored services carry rates on the
 * plant's grid (0.5% of a GPU's capacity) and admission asks integer training shares, so the same questions come
 * back again and again (admission re-estimates a GPU's headroom whenever its services change). Holds at most
 * {@link #MAX_ENTRIES} answers, then asks the model for new questions without remembering them. Single-threaded,
 * like the simulator.
 */
public final class MemoLatencyModel implements LatencyModel {
    static final int MAX_ENTRIES = 1 << 20;

    private record Question(String model, String gpu, double rps, int batch, int inferencePercent,
                            Interference interference) {
    }

    private final LatencyModel model;
    private final Map<Question, LatencyEstimate> answers = new HashMap<>();
    private long misses;

    public MemoLatencyModel(LatencyModel model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    @Override
    public LatencyEstimate predict(String modelName, String gpuModel, ServiceLoad load, int inferencePercent,
                                   Interference interference) {
        Question q = new Question(modelName, gpuModel, load.requestsPerSecond(), load.batch(), inferencePercent,
                interference);
        LatencyEstimate e = answers.get(q);
        if (e == null) {
            misses++;
            e = model.predict(modelName, gpuModel, load, inferencePercent, interference);
            if (answers.size() < MAX_ENTRIES) {
                answers.put(q, e);
            }
        }
        return e;
    }

    @Override
    public double soloBatchLatencyMs(String modelName, String gpuModel, int batch) {
        return model.soloBatchLatencyMs(modelName, gpuModel, batch);
    }

    @Override
    public boolean knows(String modelName) {
        return model.knows(modelName);
    }

    /** Questions the wrapped model answered (not remembered ones). */
    public long misses() {
        return misses;
    }
}
