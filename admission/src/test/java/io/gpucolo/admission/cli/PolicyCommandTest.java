package io.gpucolo.admission.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code gpucolo policy check}: exit codes and output. */
class PolicyCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new PolicyCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void validExampleExitsZeroWithOneSummaryLine() {
        Path example = Path.of(System.getProperty("gpucolo.root", "."), "etc", "gpucolo.yaml.example");
        assertEquals(0, run("check", example.toString()), err::toString);
        String[] lines = out.toString().split("\n");
        assertEquals(1, lines.length, out::toString);
        assertTrue(lines[0].startsWith(example + ": OK, version "), lines[0]);
        assertTrue(lines[0].contains("2 services, placement headroom, admitd fails open after 100 ms"), lines[0]);
    }

    @Test
    void invalidFileExitsTwoWithOneLinePerProblem() throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "limits:\n  max_guest_per_gpu: 3\nplacement:\n  plugin: nope\n");
        assertEquals(2, run("check", bad.toString()));
        assertEquals(bad + ":2:3: unknown key 'limits.max_guest_per_gpu' (did you mean 'max_guests_per_gpu'?)\n"
                + bad + ":4:11: placement.plugin: 'nope' is not one of headroom, first-fit, dedicated, static-share\n",
                out.toString());
        assertEquals(bad + ": 2 problems, policy refused\n", err.toString());
    }

    @Test
    void sloBelowTheRealModelsFloorIsRefused() throws IOException {
        Path bad = dir.resolve("slo.yaml");
        Files.writeString(bad, """
                services:
                  - name: web
                    slo_p99_ms: 0.01
                    model: resnet50
                    nominal_load: {requests_per_second: 10, batch: 8}
                    memory_mib: 2048
                """);
        assertEquals(2, run("check", bad.toString()));
        assertTrue(out.toString().startsWith(bad + ":3:17: services[0].slo_p99_ms: 0.01 ms is below the solo latency "
                + "of model resnet50 at batch 8"), out::toString);
    }
}
