package io.gpucolo.admission.policy;

import io.gpucolo.admission.latency.LatencyModel;
import java.util.Collection;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The lowest latency a service's model can reach: one batch alone on the fastest GPU. No SLO can be met
 * below it, so the policy validator refuses such an SLO. Injected, so the validator stays independent of
 * how the latency model is calibrated.
 */
public interface LatencyFloor {
    /** No floor known: SLOs are only checked for being positive. */
    LatencyFloor NONE = (model, batch) -> OptionalDouble.empty();

    /**
     * @return the floor in ms, or empty when the model is unknown to this floor
     */
    OptionalDouble soloMs(String modelName, int batch);

    /** False when the floor's latency model has no profile for this model name (the policy names a typo). */
    default boolean knows(String modelName) {
        return true;
    }

    /**
     * The floor from a latency model: the smallest {@link LatencyModel#soloBatchLatencyMs} over the given GPU
     * models; empty for a model the latency model does not know.
     */
    static LatencyFloor of(LatencyModel model, Collection<String> gpuModels) {
        List<String> gpus = List.copyOf(gpuModels);
        if (gpus.isEmpty()) {
            throw new IllegalArgumentException("at least one GPU model is needed for a latency floor");
        }
        return new LatencyFloor() {
            @Override
            public OptionalDouble soloMs(String name, int batch) {
                if (!model.knows(name)) {
                    return OptionalDouble.empty();
                }
                double min = Double.POSITIVE_INFINITY;
                for (String gpu : gpus) {
                    min = Math.min(min, model.soloBatchLatencyMs(name, gpu, batch));
                }
                return OptionalDouble.of(min);
            }

            @Override
            public boolean knows(String name) {
                return model.knows(name);
            }
        };
    }
}
