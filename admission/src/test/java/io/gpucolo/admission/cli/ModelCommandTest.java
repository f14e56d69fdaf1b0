package io.gpucolo.admission.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpucolo.admission.latency.CalibratedLatencyModel;
import io.gpucolo.admission.latency.ProfileFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code gpucolo model ...}: exit codes and output. */
class ModelCommandTest {
    static final String DATA = Path.of(System.getProperty("gpucolo.shared", "../../shared"), "data").toString();

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new ModelCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void fitPrintsTablesAndASummaryLine() {
        assertEquals(0, run("fit", "--data", DATA), err::toString);
        String[] lines = out.toString().split("\n");
        assertTrue(lines[lines.length - 1].matches("model fit share-holdout MAPE \\d+\\.\\d%, batch-holdout MAPE \\d+\\.\\d%"),
                lines[lines.length - 1]);
        assertTrue(out.toString().contains("| resnet50 | 161 |"), out::toString);
    }

    @Test
    void forecastEvalPrintsEverySeries() {
        assertEquals(0, run("forecast-eval", "--data", DATA), err::toString);
        for (String s : new String[]{"servegen/m-large", "servegen/deepseek-r1", "azure-llm-2023/code", "azure-llm-2023/conv"}) {
            assertTrue(out.toString().contains("| " + s + " |"), s);
        }
        assertTrue(out.toString().strip().endsWith("forecasts"), out::toString);
    }

    @Test
    void badInputExitsTwoWithOneLine() {
        assertEquals(2, run("fit", "--data", dir.resolve("none").toString()));
        assertTrue(err.toString().startsWith("gpucolo model fit: " + dir.resolve("none") + ": no such data folder"), err::toString);
        assertEquals(2, run("forecast-eval", "--data", DATA, "--margin", "-1"));
        assertEquals(2, run("predict", "--model", "llama", "--rate", "1"));
    }

    @Test
    void checkProfileAcceptsGoodAndNamesTheLineOfBad() throws IOException {
        Path good = dir.resolve("good.profile");
        try (var w = Files.newBufferedWriter(good)) {
            ProfileFormat.write(CalibratedLatencyModel.builtInProfiles().get(0), w);
        }
        Path bad = dir.resolve("bad.profile");
        Files.writeString(bad, Files.readString(good).replace("latency=ms", "latency=us"));
        assertEquals(0, run("check-profile", good.toString()), out::toString);
        assertEquals(2, run("check-profile", good.toString(), bad.toString()));
        assertTrue(out.toString().contains(bad + ":5: wrong unit for latency: 'us', expected 'ms'"), out::toString);
    }

    @Test
    void predictUsesAnExtraProfile() throws IOException {
        Path p = dir.resolve("toy.profile");
        Files.writeString(p, """
                gpucolo-latency-profile 1
                gpu T4
                model toy
                source test
                units share=percent batch=requests procs=count duty=fraction latency=ms
                columns inference_share_pct batch inference_procs training_share_pct training_duty mean_latency_ms p99_latency_ms
                rows 1
                100 1 1 0 0 4 NA
                end
                """);
        assertEquals(0, run("predict", "--model", "toy", "--gpu", "T4", "--rate", "0", "--profile", p.toString()),
                err::toString);
        assertEquals("toy on T4 at 0.0 req/s, batch 1: mean 4.000 ms, p99 4.000 ms", out.toString().strip());
    }

    @Test
    void importParvaGpuWritesReadableProfiles() {
        assertEquals(0, run("import-parvagpu", "--out", dir.toString(), DATA + "/parvagpu-a100/vgg16.csv"), err::toString);
        assertEquals(160, ProfileFormat.read(dir.resolve("vgg16.profile")).rows().size());
    }
}
