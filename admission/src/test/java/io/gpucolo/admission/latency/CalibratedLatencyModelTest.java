package io.gpucolo.admission.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpucolo.admission.model.ServiceLoad;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The calibrated model on the built-in ParvaGPU profiles and on small synthetic profiles. */
class CalibratedLatencyModelTest {
    private final CalibratedLatencyModel model = CalibratedLatencyModel.builtIn();

    @Test
    void knowsTheElevenParvaGpuModels() {
        assertEquals(List.of("bert", "densenet121", "densenet169", "densenet201", "inceptionv3", "mobilenetv2",
                "resnet101", "resnet152", "resnet50", "vgg16", "vgg19"), model.models());
        assertTrue(model.knows("ResNet50"));
        assertFalse(model.knows("llama"));
    }

    @ParameterizedTest(name = "{0} on {1}: x{2}")
    @CsvSource({
            "A100-80GB, 1.0",
            "a100 80gb, 1.0",
            "V100,      1.7",
            "V100M32,   1.7",
            "P100,      2.2321",
            "T4,        2.2321",
            "MISC,      2.2321",
            "K80,       8.1447",
            "H100,      0.6",
    })
    void soloLatencyScalesByGpu(String gpu, double factor) {
        // ParvaGPU resnet50, whole A100 (MIG 7 GPCs), batch 1, one process: 1000 / 195.826 req/s = 5.1066 ms
        assertEquals(5.1066 * factor, model.soloBatchLatencyMs("resnet50", gpu, 1), 1e-3);
    }

    @Test
    void idleServiceSeesTrainingAsASlowdown() {
        double solo = model.soloBatchLatencyMs("resnet50", "A100-80GB", 1);
        LatencyEstimate e = model.predict("resnet50", "A100-80GB", new ServiceLoad(0, 8), 100,
                new Interference(0, 50, 1));
        assertEquals(solo * (1 + CalibratedLatencyModel.GAVEL_K * 0.5), e.meanMs(), 1e-9);
        assertEquals(e.meanMs(), e.p99Ms(), 1e-12);
    }

    @Test
    void p99RisesWithRateTrainingAndCoRunners() {
        for (String m : model.models()) {
            double last = 0;
            for (double rps = 0; rps <= 400; rps += 20) {
                double p99 = model.predict(m, "A100", new ServiceLoad(rps, 16), 100, Interference.NONE).p99Ms();
                assertTrue(p99 >= last - 1e-9, m + ": p99 fell at " + rps + " req/s");
                last = p99;
            }
            last = 0;
            for (int t = 0; t <= 100; t += 5) {
                double p99 = model.predict(m, "A100", new ServiceLoad(100, 16), 100,
                        new Interference(0, t, t == 0 ? 0 : 1)).p99Ms();
                assertTrue(p99 >= last - 1e-9, m + ": p99 fell at training " + t + "%");
                last = p99;
            }
            double alone = model.predict(m, "A100", new ServiceLoad(50, 4), 100, Interference.NONE).p99Ms();
            double shared = model.predict(m, "A100", new ServiceLoad(50, 4), 100, new Interference(2, 0, 0)).p99Ms();
            assertTrue(shared >= alone, m);
        }
    }

    @Test
    void overloadIsSaturated() {
        // resnet50 at batch 1 serves about 196 req/s on a whole A100
        assertTrue(model.predict("resnet50", "A100", new ServiceLoad(250, 1), 100, Interference.NONE).saturated());
        assertFalse(model.predict("resnet50", "A100", new ServiceLoad(150, 1), 100, Interference.NONE).saturated());
    }

    @Test
    void smallerShareIsSlower() {
        double whole = model.predict("vgg16", "A100", new ServiceLoad(100, 8), 100, Interference.NONE).p99Ms();
        double third = model.predict("vgg16", "A100", new ServiceLoad(100, 8), 43, Interference.NONE).p99Ms();
        assertTrue(third > whole, third + " vs " + whole);
    }

    @Test
    void unknownModelAndBadPercentAreRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> model.predict("llama", "A100", new ServiceLoad(1, 1), 100, Interference.NONE));
        assertTrue(e.getMessage().startsWith("no latency profile for model 'llama' (known: bert, "), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> model.predict("bert", "A100", new ServiceLoad(1, 1), 0, Interference.NONE));
    }

    @Test
    void interferenceCoefficientIsFittedFromTrainingPoints() {
        List<ProfileRow> rows = new ArrayList<>();
        rows.add(new ProfileRow(100, 1, 1, 0, 0, 10, Double.NaN));
        rows.add(new ProfileRow(100, 1, 1, 50, 1, 10 * (1 + 0.3 * 0.5), Double.NaN));
        rows.add(new ProfileRow(100, 1, 1, 100, 0.5, 10 * (1 + 0.3 * 0.5), Double.NaN));
        rows.add(new ProfileRow(100, 1, 1, 100, 1, 10 * (1 + 0.3), Double.NaN));
        var m = CalibratedLatencyModel.of(List.of(new LatencyProfile("RTX3090", "probe", "test", rows)));
        assertEquals(0.3, m.interferenceCoefficient("probe", "RTX3090"), 1e-12);
        // no training points: Gavel's coefficient
        assertEquals(CalibratedLatencyModel.GAVEL_K, model.interferenceCoefficient("bert", "A100"), 0);
    }

    @Test
    void concurrentPredictionsEqualSequentialOnes() throws Exception {
        var fresh = CalibratedLatencyModel.of(CalibratedLatencyModel.builtInProfiles());
        String[] gpus = {"A100", "V100", "T4", "K80", "MISC"};
        List<java.util.concurrent.Callable<double[]>> tasks = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            tasks.add(() -> {
                double[] out = new double[gpus.length * 11];
                int i = 0;
                for (String g : gpus) {
                    for (String m : model.models()) {
                        out[i++] = fresh.predict(m, g, new ServiceLoad(30, 4), 100, new Interference(1, 40, 0.5)).p99Ms();
                    }
                }
                return out;
            });
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            double[] expected = tasks.get(0).call();
            for (var f : pool.invokeAll(tasks)) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(expected, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void ownProfileForAGpuBeatsScaling() {
        var own = new LatencyProfile("V100", "resnet50", "test",
                List.of(new ProfileRow(100, 1, 1, 0, 0, 6, Double.NaN)));
        List<LatencyProfile> all = new ArrayList<>(CalibratedLatencyModel.builtInProfiles());
        all.add(own);
        var m = CalibratedLatencyModel.of(all);
        assertEquals(6, m.soloBatchLatencyMs("resnet50", "V100", 1), 1e-12);
        assertEquals(5.1066, m.soloBatchLatencyMs("resnet50", "A100-80GB", 1), 1e-9);
    }
}
