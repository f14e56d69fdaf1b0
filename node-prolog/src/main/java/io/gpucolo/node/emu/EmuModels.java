package io.gpucolo.node.emu;

import io.gpucolo.admission.latency.CalibratedLatencyModel;
import io.gpucolo.admission.latency.Interference;
import io.gpucolo.admission.latency.LatencyEstimate;
import io.gpucolo.admission.latency.LatencyModel;
import io.gpucolo.admission.latency.LatencyProfile;
import io.gpucolo.admission.latency.ProfileFormat;
import io.gpucolo.admission.model.ServiceLoad;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the latency model the emulated GPU runs on: the admission core's {@link CalibratedLatencyModel} (its
 * built-in profiles plus any {@code --profile} files, which replace a built-in profile for the same model and GPU),
 * so that the emulated GPU, the simulator and admission agree; model names without a profile fall back to the
 * {@link PlaceholderLatencyModel} (documented law), so any stand-in name still runs.
 */
public final class EmuModels {
    private EmuModels() {
    }

    /** The model for these extra profile files (none: the built-in calibration). Bad files fail with file:line. */
    public static LatencyModel latencyModel(List<Path> profiles) {
        CalibratedLatencyModel calibrated;
        if (profiles.isEmpty()) {
            calibrated = CalibratedLatencyModel.builtIn();
        } else {
            List<LatencyProfile> all = new ArrayList<>(CalibratedLatencyModel.builtInProfiles());
            for (Path p : profiles) {
                all.add(ProfileFormat.read(p));
            }
            calibrated = CalibratedLatencyModel.of(all);
        }
        return new WithFallback(calibrated, new PlaceholderLatencyModel());
    }

    /** Calibrated where it knows the model, placeholder elsewhere. */
    private record WithFallback(LatencyModel calibrated, LatencyModel fallback) implements LatencyModel {
        private LatencyModel pick(String modelName) {
            return calibrated.knows(modelName) ? calibrated : fallback;
        }

        @Override
        public LatencyEstimate predict(String modelName, String gpuModel, ServiceLoad load, int inferencePercent,
                                       Interference interference) {
            return pick(modelName).predict(modelName, gpuModel, load, inferencePercent, interference);
        }

        @Override
        public double soloBatchLatencyMs(String modelName, String gpuModel, int batch) {
            return pick(modelName).soloBatchLatencyMs(modelName, gpuModel, batch);
        }

        @Override
        public boolean knows(String modelName) {
            return true;
        }
    }
}
