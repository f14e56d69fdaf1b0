package io.gpucolo.node.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class BurstControlCommandTest {
    @ParameterizedTest
    @CsvSource({"--parallel,0", "--parallel,5", "--rate,-1", "--slo-factor,0.5", "--slo-ms,0", "--static,1.5"})
    void impossibleSettingsAreRefusedBeforeAnythingStarts(String option, String value) {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new BurstControlCommand());
        cmd.setErr(new PrintWriter(err));
        cmd.setOut(new PrintWriter(out));
        assertEquals(2, cmd.execute(option, value));
        assertTrue(err.toString().startsWith("gpucolo bench burst: need rate > 0"), err.toString());
        assertTrue(err.toString().contains("parallel 1..4"), err.toString());
        assertEquals("", out.toString(), "nothing ran");
    }
}
