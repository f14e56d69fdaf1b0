package io.gpucolo.admission.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fit error on the real measurements stays within the bounds quoted in docs/MODEL.md. */
class ModelFitTest {
    static final Path DATA = Path.of(System.getProperty("gpucolo.shared", "../../shared"), "data");

    @Test
    void heldOutErrorOnParvaGpuAndGavelIsBounded() throws IOException {
        ModelFitReport.Summary s = ModelFitReport.run(DATA);
        assertEquals(1747, s.inSample().get(s.inSample().size() - 1).points());
        assertTrue(s.pooledShare().mape() < 0.08, "share hold-out MAPE " + s.pooledShare());
        assertTrue(s.pooledBatch().mape() < 0.09, "batch hold-out MAPE " + s.pooledBatch());
        assertTrue(s.inSample().get(s.inSample().size() - 1).mape() < 0.02, "in-sample " + s.inSample());
        for (ModelFit.Error e : s.shareHoldOut()) {
            assertTrue(e.mape() < 0.10, "share hold-out " + e);
        }
        for (ModelFit.Error e : s.gavel()) {
            assertTrue(e.mape() < 0.30, "gavel " + e);
        }
        assertTrue(s.markdown().contains("| **all** | 1747 |"), s.markdown());
        assertEquals(125, s.queue().size());
        double sum = 0;
        for (ModelFit.QueuePoint q : s.queue()) {
            assertTrue(q.error() > -0.20 && q.error() < 0.40, "queue law off the simulation: " + q);
            sum += Math.abs(q.error());
        }
        assertTrue(sum / s.queue().size() < 0.12, "queue law MAPE " + sum / s.queue().size());
    }

    @Test
    void gavelCoefficientAndSpeedRatiosMatchTheData() throws IOException {
        List<GavelPairs.Pair> pairs = GavelPairs.read(DATA.resolve("gavel/simulation_throughputs.json"));
        assertEquals(636, pairs.stream().filter(p -> p.gpu().equals("v100")).count());
        assertEquals(GavelPairs.medianSlowdown(pairs, "v100") - 1, CalibratedLatencyModel.GAVEL_K, 1e-4);
    }

    @Test
    void builtInProfilesAreTheConvertedSharedData() throws IOException {
        for (LatencyProfile builtIn : CalibratedLatencyModel.builtInProfiles()) {
            LatencyProfile fresh = ParvaGpuImport.read(DATA.resolve("parvagpu-a100").resolve(builtIn.modelName() + ".csv"));
            assertEquals(fresh.rows().size(), builtIn.rows().size(), builtIn.modelName());
            for (int i = 0; i < fresh.rows().size(); i++) {
                ProfileRow a = fresh.rows().get(i);
                ProfileRow b = builtIn.rows().get(i);
                assertEquals(a.meanLatencyMs(), b.meanLatencyMs(), 5e-5, builtIn.modelName() + " row " + i);
                assertEquals(a.inferenceSharePct(), b.inferenceSharePct(), 5e-5);
                assertEquals(a.batch(), b.batch());
                assertEquals(a.inferenceProcs(), b.inferenceProcs());
            }
        }
        try (InputStream license = getClass().getResourceAsStream(
                CalibratedLatencyModel.BUILT_IN_DIR + "LICENSE-parvagpu-MIT.txt")) {
            assertTrue(new String(license.readAllBytes()).contains("MIT License"));
        }
    }
}
