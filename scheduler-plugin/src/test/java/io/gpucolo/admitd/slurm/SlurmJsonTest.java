package io.gpucolo.admitd.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpucolo.admission.model.GpuId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parses output captured from Debian's Slurm 22.05.8 (etc/lab/bringup.sh), and output that changed format. */
class SlurmJsonTest {
    static String resource(String name) throws IOException {
        try (InputStream in = SlurmJsonTest.class.getResourceAsStream("/slurm/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsJobsOfRealSqueue() throws Exception {
        List<SlurmJob> jobs = SlurmJson.jobs(resource("squeue-22.05.json"));
        assertEquals(3, jobs.size());
        SlurmJob j = jobs.get(0);
        assertTrue(j.jobId().matches("[0-9]+"));
        assertTrue(!j.state().isEmpty());
    }

    @Test
    void readsTypedGpusOfRealSinfo() throws Exception {
        List<GpuId> gpus = SlurmJson.gpus(resource("sinfo-22.05.json"));
        assertEquals(4, gpus.size());
        assertEquals(3, gpus.get(3).index());
    }

    @Test
    void changedFormatsAreNamedNotGuessed() {
        assertTrue(assertThrows(SlurmFormatException.class, () -> SlurmJson.jobs("JOBID STATE\n1 RUNNING"))
                .getMessage().startsWith("squeue --json: not JSON at line 1"));
        assertTrue(assertThrows(SlurmFormatException.class, () -> SlurmJson.jobs("{\"jobs\":[{\"job_state\":\"RUNNING\"}]}"))
                .getMessage().contains("jobs[0]: missing key 'job_id'"));
        assertTrue(assertThrows(SlurmFormatException.class, () -> SlurmJson.jobs("{\"errors\":[\"boom\"],\"jobs\":[]}"))
                .getMessage().contains("reported errors"));
        assertTrue(assertThrows(SlurmFormatException.class, () -> SlurmJson.jobs("{\"jobz\":[]}"))
                .getMessage().contains("missing key 'jobs'"));
        assertTrue(assertThrows(SlurmFormatException.class, () -> SlurmJson.jobs("{\"jobs\":{\"job_id\":1}}"))
                .getMessage().contains("'jobs' is not an array"));
        assertTrue(assertThrows(SlurmFormatException.class,
                () -> SlurmJson.jobs("{\"jobs\":[{\"job_id\":\"12a\",\"job_state\":\"RUNNING\"}]}"))
                .getMessage().contains("jobs[0].job_id is not a number: \"12a\""));
        assertTrue(assertThrows(SlurmFormatException.class, () -> SlurmJson.jobs("{\"jobs\":[{\"job_id\":1,"))
                .getMessage().matches("squeue --json: not JSON at line 1 column [0-9]+: .*"));
        assertTrue(assertThrows(SlurmFormatException.class, () -> SlurmJson.gpus("{\"nodes\":[{\"gres\":\"gpu:g0:1\"}]}"))
                .getMessage().contains("sinfo --json: nodes[0]: missing key 'name'"));
    }

    @Test
    void oddFieldsPassThroughUnchangedAndUnknownGresIsIgnored() throws Exception {
        String ac = "gpucolo:train id=d1 \\\"q\\\" $(x) `y`;|& \\n \u00ff";
        var jobs = SlurmJson.jobs("{\"jobs\":[{\"job_id\":7,\"job_state\":\"PENDING\",\"admin_comment\":\"" + ac
                + "\",\"state_reason\":\"JobHeldUser\"}]}");
        assertEquals("gpucolo:train id=d1 \"q\" $(x) `y`;|& \n \u00ff", jobs.get(0).adminComment());
        assertTrue(jobs.get(0).held());
        var gpus = SlurmJson.gpus("{\"nodes\":[{\"name\":\"n1\",\"gres\":\"gpu:4,mps:g0:100,gpu:tesla:1,gpu:g2:1(S:0)\"}]}");
        assertEquals(java.util.List.of(new io.gpucolo.admission.model.GpuId("n1", 2)), gpus);
    }

    @Test
    void aFailingCommandNamesItsExitStatusAndStderr() {
        SlurmCommands c = new SlurmCommands(null, java.time.Duration.ofSeconds(5));
        SlurmFormatException e = assertThrows(SlurmFormatException.class,
                () -> c.run("/bin/sh", List.of("-c", "echo broken >&2; exit 3")));
        assertTrue(e.getMessage().contains("exit 3: broken"), e.getMessage());
        SlurmFormatException t = assertThrows(SlurmFormatException.class,
                () -> new SlurmCommands(null, java.time.Duration.ofMillis(200)).run("/bin/sleep", List.of("5")));
        assertTrue(t.getMessage().contains("timed out"), t.getMessage());
    }
}
