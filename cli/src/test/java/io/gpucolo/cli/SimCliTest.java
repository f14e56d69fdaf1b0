package io.gpucolo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gpucolo sim}, {@code sim paper}, {@code sim-gen} through the real launcher entry point. */
class SimCliTest {
    static final Path RES = Path.of("../sim-harness/src/test/resources/sim");

    record Run(int code, String out, String err) {
    }

    static synchronized Run run(String... args) {
        PrintStream o = System.out;
        PrintStream e = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
    }

    @Test
    void missingTraceFileExitsTwoWithTheName(@TempDir Path dir) {
        Run r = run("sim", "--trace", dir.resolve("nope.csv").toString(), "--out", dir.toString(), "--no-progress");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nope.csv: no such file"), r.err());
    }

    @Test
    void badRowsAreSkippedAndReportedAndTheReportIsSelfContained(@TempDir Path dir) throws IOException {
        Run r = run("sim", "--trace", RES.resolve("bad_task_table.csv").toString(), "--policies", "dedicated,first-fit",
                "--out", dir.toString(), "--no-progress");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("bad rows skipped: 5"), r.out());
        assertTrue(r.out().contains("bad_task_table.csv:6: unknown GPU type 'H800'"), r.out());
        List<String> csv = Files.readAllLines(dir.resolve("summary.csv"));
        assertEquals(3, csv.size());
        assertTrue(csv.get(1).startsWith("dedicated,") && csv.get(2).startsWith("first-fit,"));
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("data:image/png;base64,"));
        assertTrue(html.contains("bad rows skipped: 5"));
        assertFalse(html.contains("<script") || html.contains("src=\"http") || html.contains("href=\"http"));
    }

    @Test
    void strictMakesTheFirstBadRowFatal(@TempDir Path dir) {
        Run r = run("sim", "--trace", RES.resolve("bad_task_table.csv").toString(), "--strict", "--out", dir.toString(),
                "--no-progress");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("bad_task_table.csv:2: expected 10 columns"), r.err());
        assertFalse(Files.exists(dir.resolve("summary.csv")));
    }

    @Test
    void unknownPolicyAndBadRatioExitTwo(@TempDir Path dir) {
        Run r = run("sim", "--synthetic", "0.001", "--policies", "magic", "--out", dir.toString(), "--no-progress");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown policy 'magic'"), r.err());
        Run q = run("sim", "--synthetic", "0.001", "--ratio", "3-1", "--out", dir.toString(), "--no-progress");
        assertEquals(2, q.code());
        assertTrue(q.err().contains("--ratio expects two whole numbers"), q.err());
    }

    @Test
    void generatedTablesReplayOnTheirMachineSpec(@TempDir Path dir) {
        Path gen = dir.resolve("trace");
        Run g = run("sim-gen", "--scale", "0.002", "--days", "10", "--seed", "5", "--out", gen.toString());
        assertEquals(0, g.code(), g.err());
        assertTrue(Files.exists(gen.resolve("pai_task_table.csv")) && Files.exists(gen.resolve("pai_machine_spec.csv")));
        Run s = run("sim", "--trace", gen.resolve("pai_task_table.csv") + "," + gen.resolve("pai_job_table.csv"),
                "--cluster", gen.resolve("pai_machine_spec.csv").toString(), "--policies", "first-fit,headroom",
                "--out", dir.resolve("out").toString(), "--no-progress");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("cluster: " + gen.resolve("pai_machine_spec.csv")), s.out());
        assertTrue(s.out().contains("headroom"), s.out());
    }

    @Test
    void thePapersExperimentPrintsOursBesideTheirs(@TempDir Path dir) throws IOException {
        Run r = run("sim", "paper", "--scale", "0.003", "--out", dir.toString(), "--no-progress");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("burst: inference duplicated between day 20 and day 40"), r.out());
        assertTrue(r.out().contains("inference:training kept at 3:1"), r.out());
        for (String paper : List.of("766.0", "3059.0", "3625.0", "1538.0", "74.9", "50.2", "1.1", "27.2")) {
            assertTrue(r.out().contains(paper), "paper figure " + paper);
        }
        assertEquals(7, Files.readAllLines(dir.resolve("summary.csv")).size());
        assertTrue(Files.readString(dir.resolve("report.html")).contains("Ours beside the paper"));
    }
}
