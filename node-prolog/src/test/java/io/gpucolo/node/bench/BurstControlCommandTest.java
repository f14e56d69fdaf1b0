package io.gpucolo.node.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class BurstControlCommandTest {
    @ParameterizedTest
    @CsvSource({"--parallel,0", "--parallel,5", "--rate,-1", "--slo-factor,0.5", "--slo-ms,0", "--static,1.5",
        "--period-ms,50", "--period-ms,2000", "--warmup-s,0", "--scenarios,ours;fast"})
    void impossibleSettingsAreRefusedBeforeAnythingStarts(String option, String value) {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new BurstControlCommand());
        cmd.setErr(new PrintWriter(err));
        cmd.setOut(new PrintWriter(out));
        assertEquals(2, cmd.execute(option, value.replace(';', ',')));
        assertTrue(err.toString().startsWith("gpucolo bench burst: need rate > 0"), err.toString());
        assertTrue(err.toString().contains("parallel 1..4"), err.toString());
        assertEquals("", out.toString(), "nothing ran");
    }

    /**
     * Real stand-ins that report no latency (one request per 1,000 s on average): the benchmark does not run its
     * scenarios with a NaN SLO, it stops with one line naming the work directory and exits 1.
     */
    @Test
    void inferenceThatNeverReportsIsRefusedWithOneLineNamingTheWorkDir(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new BurstControlCommand());
        cmd.setErr(new PrintWriter(err));
        cmd.setOut(new PrintWriter(out));
        Path work = dir.resolve("work");
        int rc = cmd.execute("--rate", "0.001", "--warmup-s", "3", "--scenarios", "ours", "--calibrate-s", "5", "--step-s", "6",
                "--burst-s", "1", "--end-s", "8", "--dir", work.toString());
        assertEquals(1, rc, err + "\n" + out);
        String line = err.toString().strip();
        assertFalse(line.contains("\n"), "one line: " + line);
        assertTrue(line.startsWith("gpucolo bench burst: inference stand-in 0 reported no latency within 3 s"), line);
        assertTrue(line.endsWith("logs in " + work.resolve("batch1")), line);
        assertFalse(out.toString().contains("SLO p99"), "no scenario ran: " + out);
    }
}
