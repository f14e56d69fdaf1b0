package io.gpucolo.sim.traces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenbReaderTest {
    @Test
    void nodesAndPodsWithBadRows() {
        TraceIssues issues = new TraceIssues(false);
        ClusterSpec c = OpenbReader.readNodes(PaiTraceReaderTest.resource("nodes.csv"), issues);
        assertEquals(Map.of("V100M32", 8, "T4", 2), c.gpusByType());
        assertEquals(10, c.totalGpus());
        TraceOptions o = new TraceOptions(LabelRules.DEFAULT, TraceOptions.PAPER_GPU_MEM_MIB, c.typeList(), true);
        TaskTable t = new OpenbReader(o, issues).readPods(PaiTraceReaderTest.resource("bad_pods.csv"));
        assertEquals(3, issues.badRows());
        assertTrue(issues.messages().get(0).contains("bad_pods.csv:3: gpu_milli must be 0..1000"), issues.messages().get(0));
        assertTrue(issues.messages().get(1).contains("bad_pods.csv:4: unknown GPU type 'X9'"), issues.messages().get(1));
        assertTrue(issues.messages().get(2).contains("bad_pods.csv:6: deletion_time before scheduled_time"));
        assertEquals(1L, issues.filteredByReason().get("never deleted"));
        assertEquals(3, t.size());
        assertEquals("p1", t.jobName(0));
        assertTrue(t.isInference(0));
        assertEquals(50, t.share(0));
        assertEquals(90, t.duration(0));
        assertEquals(185, t.end(1));
        assertEquals(100, t.share(2));
        assertTrue(!t.isInference(1) && !t.isInference(2));
    }

    @Test
    void wrongHeaderIsRefusedWithLineOne(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("pods.csv"), "name,qos\np,LS\n");
        TraceException e = assertThrows(TraceException.class, () -> new OpenbReader(TraceOptions.defaults(),
                new TraceIssues(false)).readPods(f));
        assertTrue(e.getMessage().contains("pods.csv:1: expected header"), e.getMessage());
    }

    @Test
    void ownCsvRefusesSharesOutsideOneGpu(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("w.csv"), OwnCsvReader.HEADER + "\na,training,0,10,150,10,\n"
                + "b,training,0,10,0,10,\nc,serving,0,10,50,10,\nd,inference,0,10,50,10,\n");
        TraceIssues issues = new TraceIssues(false);
        TaskTable t = new OwnCsvReader(TraceOptions.defaults(), issues).read(f);
        assertEquals(1, t.size());
        assertEquals(3, issues.badRows());
        assertTrue(issues.messages().get(0).endsWith("w.csv:2: gpu_percent must be in 1..100, got 150.0"), issues.messages().get(0));
        assertTrue(issues.messages().get(2).contains("w.csv:4: column 2 (kind) must be inference or training"));
    }

    @Test
    void loadSeriesFromTheRealServeGenAndAzureFiles() {
        Path shared = Path.of(System.getProperty("gpucolo.shared", "../../shared"), "data");
        TraceIssues issues = new TraceIssues(true);
        LoadSeries sg = LoadSeries.servegen(shared.resolve("servegen/servegen_total_rate_per_10min.csv"), "m-large", issues);
        assertEquals(600, sg.stepSeconds());
        assertEquals(2016, sg.factors().length);
        double mean = 0;
        for (double f : sg.factors()) {
            mean += f;
        }
        assertEquals(1.0, mean / sg.factors().length, 1e-9);
        assertTrue(sg.peak() > 1.2, "a daily cycle has a peak above the mean: " + sg.peak());
        LoadSeries az = LoadSeries.azure(shared.resolve("azure-llm-2023/AzureLLMInferenceTrace_code.csv"), 60, issues);
        assertEquals(60, az.stepSeconds());
        assertTrue(az.factors().length >= 55 && az.factors().length <= 61, "one hour: " + az.factors().length);
        assertEquals(sg.factor(0), sg.factor(2016), "the series repeats");
    }
}
