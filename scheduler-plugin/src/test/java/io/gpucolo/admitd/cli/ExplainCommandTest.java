package io.gpucolo.admitd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code gpucolo explain} in dry-run mode on the example cluster with the built-in latency model. */
class ExplainCommandTest {
    private static final String EXAMPLE = Path.of(System.getProperty("gpucolo.root", "../"), "etc", "cluster.yaml.example")
            .toString();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new ExplainCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println(ex.getMessage());
            return 2;
        });
        return cl.execute(args);
    }

    @Test
    void explainsTheExampleCluster() {
        assertEquals(0, run("--cluster", EXAMPLE, "--share", "30", "--mem", "8G", "--owner", "alice", "--job", "7"), err.toString());
        String text = out.toString();
        assertTrue(text.startsWith("job 7 (owner alice): share 30%, memory 8192 MiB, expected 1h, not restartable\n"
                + "policy: headroom, 4 GPUs\n"), text);
        assertTrue(text.contains("decision: ADMIT on "), text);
        // one line per GPU of the file, then the summary
        for (String gpu : new String[] {"gpu01:g0", "gpu01:g1", "gpu02:g0", "gpu02:g1"}) {
            assertTrue(text.contains("\n" + gpu + " "), gpu + " missing in\n" + text);
        }
        assertTrue(text.lines().anyMatch(l -> l.startsWith("summary: ")), text);
    }

    @Test
    void anotherPlacementPolicyAndARequestFile(@TempDir Path dir) throws Exception {
        Path req = dir.resolve("r.yaml");
        Files.writeString(req, "job: r1\nowner: bob\nshare_percent: 40\nmemory_mib: 4096\nrestartable: true\n");
        assertEquals(0, run("--cluster", EXAMPLE, "--request", req.toString(), "--placement", "dedicated"), err.toString());
        assertTrue(out.toString().contains("decision: ADMIT on gpu02:g1 at 100% MPS, memory limit 4096 MiB"), out.toString());
    }

    @Test
    void memoryAboveEveryGpuIsRejectedForever() {
        assertEquals(0, run("--cluster", EXAMPLE, "--share", "20", "--mem", "100G", "--owner", "alice"));
        assertTrue(out.toString().contains("decision: REJECT (can never fit): memory: job needs 102400 MiB of GPU memory; "
                + "the largest GPU offers 81408 MiB (81920 MiB less a 512 MiB reserve)"), out.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--share=-5 --mem=8G --owner=a             | gpucolo explain: job dry-run: GPU share must be 1..100 percent, got -5",
            "--share=101 --mem=8G --owner=a            | gpucolo explain: job dry-run: GPU share must be 1..100 percent, got 101",
            "--share=10 --mem=0 --owner=a              | gpucolo explain: --mem: GPU memory must be positive, got '0'",
            "--share=10 --mem=lots --owner=a           | gpucolo explain: --mem: expected a size like 8192, 8192M or 8G, got 'lots'",
            "--share=10 --mem=8G --owner=a --duration=soon | gpucolo explain: --duration: expected a time like 3600, 90s, 30m, 2h or 1d, got 'soon'",
            "--share=10 --owner=a                      | gpucolo explain: give --share and --mem (or --request FILE)",
            "--share=10 --mem=8G --owner=a --placement=best | gpucolo explain: unknown placement policy 'best'; known: [headroom, first-fit, dedicated, static-share]",
    })
    void impossibleRequestsExitTwoWithAClearMessage(String args, String expected) {
        String[] a = ("--cluster " + EXAMPLE + " " + args.strip()).split(" ");
        assertEquals(2, run(a));
        assertEquals(expected.strip() + "\n", err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void aBadClusterFileNamesTheLine(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("c.yaml");
        Files.writeString(bad, "nodes:\n  - name: n1\n    gpus:\n      - model: T4-16GB\n        services:\n"
                + "          - {job: \"1\", service: nope}\n");
        assertEquals(2, run("--cluster", bad.toString(), "--share", "10", "--mem", "1G", "--owner", "a"));
        assertEquals(bad + ":6:33: nodes[0].gpus[0].services[0].service: unknown service 'nope'; declared: none (declare it under services: or in the policy)\n",
                err.toString());
    }

    @Test
    void aBadPolicyFileIsRefusedWithItsProblems(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("p.yaml");
        Files.writeString(bad, "limits:\n  max_guests_per_gpu: 0\n");
        assertEquals(2, run("--cluster", EXAMPLE, "--policy", bad.toString(), "--share", "10", "--mem", "1G", "--owner", "a"));
        assertTrue(err.toString().startsWith(bad + ":2:23: "), err.toString());
    }
}
