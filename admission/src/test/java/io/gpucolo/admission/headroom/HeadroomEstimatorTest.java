package io.gpucolo.admission.headroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpucolo.admission.latency.CalibratedLatencyModel;
import io.gpucolo.admission.latency.Interference;
import io.gpucolo.admission.latency.LatencyEstimate;
import io.gpucolo.admission.latency.LatencyModel;
import io.gpucolo.admission.model.Gpu;
import io.gpucolo.admission.model.GpuId;
import io.gpucolo.admission.model.InferenceService;
import io.gpucolo.admission.model.ServiceLoad;
import io.gpucolo.admission.state.GpuState;
import io.gpucolo.admission.state.Guest;
import io.gpucolo.admission.state.ResidentService;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Headroom: exact answers on a linear latency law, and consistency with the calibrated model. */
class HeadroomEstimatorTest {
    /**
     * A linear law, so the right answer is known in closed form:
     * p99 = base + rate / 100 + 2 x others + 0.1 x training% x duty.
     */
    static final LatencyModel LINEAR = new LatencyModel() {
        @Override
        public LatencyEstimate predict(String modelName, String gpuModel, ServiceLoad load, int inferencePercent,
                                       Interference i) {
            double p99 = soloBatchLatencyMs(modelName, gpuModel, load.batch()) + load.requestsPerSecond() / 100
                    + 2 * i.otherInferenceProcesses() + 0.1 * i.trainingSharePercent() * i.trainingDutyCycle();
            return new LatencyEstimate(p99 / 2, p99);
        }

        @Override
        public double soloBatchLatencyMs(String modelName, String gpuModel, int batch) {
            return modelName.equals("fast") ? 2 : 5;
        }

        @Override
        public boolean knows(String modelName) {
            return modelName.equals("fast") || modelName.equals("slow");
        }
    };

    static final Gpu GPU = new Gpu(new GpuId("n1", 0), "A100-80GB", 81_920, 108);

    static ResidentService service(String job, String model, double slo, double rps) {
        return new ResidentService(job, new InferenceService("svc-" + job, slo, Set.of("*"), model,
                new ServiceLoad(rps, 8), 4096), new ServiceLoad(rps, 8));
    }

    static GpuState gpu(List<ResidentService> services, int trainingPercent) {
        List<Guest> guests = trainingPercent == 0 ? List.of()
                : List.of(new Guest("t1", "alice", trainingPercent, 8192, true));
        return new GpuState(GPU, services, guests, 1);
    }

    @ParameterizedTest(name = "SLO {0} ms, margin {1}, rate {2}, training {3}% -> +{4}%")
    @CsvSource({
            // limit 10 x 0.9 = 9; p99 = 5 + 1 + 0.1 T <= 9 -> T <= 30
            "10,  0.1, 100, 0,  30",
            // 30% already there: 30 - 30 = 0 more
            "10,  0.1, 100, 30, 0",
            // limit 20: T <= 140, capped at 100 - 20 = 80
            "20,  0,   100, 20, 80",
            // forecast load matters: rate 300 -> 5 + 3 + 0.1 T <= 9 -> T <= 10
            "10,  0.1, 300, 0,  10",
            // already violated without training
            "5,   0,   100, 0,  0",
            // fractional limit: 12 x 0.75 = 9 -> T <= 30 exactly at the boundary
            "12,  0.25, 100, 0, 30",
    })
    void exactOnALinearLaw(double slo, double margin, double rps, int training, int expected) {
        GpuState g = gpu(List.of(service("j1", "slow", slo, rps)), training);
        HeadroomEstimator h = new HeadroomEstimator(LINEAR, margin);
        assertEquals(expected, h.addablePercent(g, Map.of()));
        assertEquals(expected, h.estimate(g, Map.of()).addablePercent());
    }

    @Test
    void forecastOverridesTheCurrentLoad() {
        GpuState g = gpu(List.of(service("j1", "slow", 10, 100)), 0);
        HeadroomEstimator h = new HeadroomEstimator(LINEAR, 0.1);
        assertEquals(10, h.addablePercent(g, Map.of("j1", new ServiceLoad(300, 8))));
        assertEquals(30, h.addablePercent(g, Map.of("other-job", new ServiceLoad(300, 8))));
    }

    @Test
    void tightestServiceBindsAndIsNamed() {
        // limits 10 x 0.9 = 9; j1: 2 + 1 + 2 + 0.1 T <= 9 -> T <= 40; j2: 5 + 1 + 2 + 0.1 T <= 9 -> T <= 10
        GpuState g = gpu(List.of(service("j1", "fast", 10, 100), service("j2", "slow", 10, 100)), 0);
        Headroom h = new HeadroomEstimator(LINEAR, 0.1).estimate(g, Map.of());
        assertEquals(10, h.addablePercent());
        assertEquals("j2", h.bindingJobId());
        assertEquals("svc-j2", h.bindingService());
        assertEquals(9.0, h.predictedP99Ms(), 1e-9);
        assertEquals(9.0, h.limitP99Ms(), 1e-9);
        assertTrue(h.reason().startsWith("service svc-j2 (job j2) binds"), h.reason());
    }

    @Test
    void emptyGpuOnlyHasTheCap() {
        Headroom h = new HeadroomEstimator(LINEAR, 0.1).estimate(gpu(List.of(), 25), Map.of());
        assertEquals(75, h.addablePercent());
        assertEquals("", h.bindingJobId());
    }

    @Test
    void unknownModelGetsNoTraining() {
        Headroom h = new HeadroomEstimator(LINEAR, 0.1).estimate(gpu(List.of(service("j1", "llama", 100, 1)), 0),
                Map.of());
        assertEquals(0, h.addablePercent());
        assertTrue(h.reason().contains("no latency profile for model 'llama'"), h.reason());
    }

    @Test
    void calibratedAnswerIsTheLargestFeasibleShare() {
        LatencyModel m = CalibratedLatencyModel.builtIn();
        HeadroomEstimator h = new HeadroomEstimator(m, 0.1);
        for (double slo : new double[]{8, 10, 12, 15, 20, 40}) {
            for (double rps : new double[]{20, 100, 300}) {
                GpuState g = gpu(List.of(service("a", "resnet50", slo, rps), service("b", "bert", slo * 2, rps / 2)), 0);
                int x = h.addablePercent(g, Map.of());
                assertTrue(x == 0 || feasible(m, g, x, 0.1), "infeasible answer " + x);
                assertTrue(x == 100 || !feasible(m, g, x + 1, 0.1), "not the largest: " + x + " for SLO " + slo);
                assertEquals(x, h.estimate(g, Map.of()).addablePercent());
            }
        }
    }

    private static boolean feasible(LatencyModel m, GpuState g, int training, double margin) {
        for (ResidentService r : g.services()) {
            double p99 = m.predict(r.service().modelName(), GPU.model(), r.load(), 100,
                    new Interference(g.services().size() - 1, training, 1)).p99Ms();
            if (p99 > r.service().sloP99Ms() * (1 - margin)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void marginOutOfRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new HeadroomEstimator(LINEAR, 1));
        assertThrows(IllegalArgumentException.class, () -> new HeadroomEstimator(LINEAR, -0.1));
    }
}
