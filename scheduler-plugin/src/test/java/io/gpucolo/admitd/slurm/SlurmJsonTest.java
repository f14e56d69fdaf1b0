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

    /** The message of the refusal of {@code json} as {@code squeue --json} output. */
    private static String squeueRefusal(String json) {
        return assertThrows(SlurmFormatException.class, () -> SlurmJson.jobs(json)).getMessage();
    }

    @Test
    void readsJobsOfRealSqueue() throws Exception {
        List<SlurmJob> jobs = SlurmJson.jobs(resource("squeue-22.05.json"));
        assertEquals(3, jobs.size());
        SlurmJob j = jobs.get(0);
        assertTrue(j.jobId().matches("[0-9]+"));
        assertTrue(!j.state().isEmpty());
    }

    /** The fields as a whole-document tree reads them (the oracle the streaming reader must agree with). */
    private static List<SlurmJob> byTree(String json) throws Exception {
        var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        List<SlurmJob> out = new java.util.ArrayList<>();
        for (var j : root.get("jobs")) {
            List<String> gres = new java.util.ArrayList<>();
            j.path("gres_detail").forEach(g -> gres.add(g.asText()));
            out.add(new SlurmJob(Long.toString(j.get("job_id").asLong()), j.get("job_state").asText(),
                    j.path("state_reason").asText(""), j.path("user_name").asText(""), j.path("admin_comment").asText(""),
                    j.path("tres_per_node").asText(""), j.path("nodes").asText(""), gres));
        }
        return out;
    }

    @Test
    void theStreamingReaderAgreesWithAWholeTreeOnRealAndOddDocuments() throws Exception {
        String real = resource("squeue-22.05.json");
        assertEquals(byTree(real), SlurmJson.jobs(real));
        assertTrue(SlurmJson.jobs(real).stream().anyMatch(j -> !j.user().isEmpty()), "the real jobs have users");
        String odd = "{\"meta\":{\"plugin\":{\"type\":\"openapi/v0.0.38\"}},\"errors\":[],\"jobs\":["
                + "{\"account\":\"x\",\"job_id\":41,\"job_state\":[\"RUNNING\"],\"nodes\":null,\"gres_detail\":[\"gpu:g1:1(IDX:1)\",{\"a\":1}],"
                + "\"admin_comment\":\"gpucolo:mps gpu=n1:g1\",\"array\":{\"deep\":[[1,2],{\"job_id\":\"no\"}]}},"
                + "{\"job_state\":\"PENDING\",\"tres_per_node\":42,\"job_id\":42,\"user_name\":\"b\u00e9a\"}"
                + "],\"warnings\":[]}";
        List<SlurmJob> jobs = SlurmJson.jobs(odd);
        assertEquals(byTree(odd), jobs);
        assertEquals("", jobs.get(0).state(), "a state that is not a scalar reads as empty, as asText() gives it");
        assertEquals(List.of("gpu:g1:1(IDX:1)", ""), jobs.get(0).gresDetail());
        assertEquals("42", jobs.get(1).tresPerNode());
        assertEquals("b\u00e9a", jobs.get(1).user());
        StringBuilder big = new StringBuilder("{\"jobs\":[");
        for (int i = 0; i < 5000; i++) {
            big.append(i == 0 ? "" : ",").append("{\"job_id\":").append(i).append(",\"job_state\":\"PENDING\",\"comment\":\"")
                    .append("x".repeat(200)).append("\"}");
        }
        assertEquals(5000, SlurmJson.jobs(big.append("]}").toString()).size());
    }

    @Test
    void jobsThatAreNotObjectsOrHaveNullIdsAreNamed() {
        assertTrue(squeueRefusal("{\"jobs\":[{\"job_id\":1,\"job_state\":\"R\"},7]}").contains("jobs[1] is not an object"));
        assertTrue(squeueRefusal("{\"jobs\":[{\"job_id\":null,\"job_state\":\"R\"}]}").contains("jobs[0]: missing key 'job_id'"));
        assertTrue(squeueRefusal("{\"jobs\":[{\"job_id\":3,\"job_state\":null}]}").contains("jobs[0]: missing key 'job_state'"));
        assertTrue(squeueRefusal("{\"jobs\":[{\"job_id\":1.5,\"job_state\":\"R\"}]}").contains("jobs[0].job_id is not a number: 1.5"));
        assertTrue(squeueRefusal("[1,2]").contains("not a JSON object"));
        assertTrue(squeueRefusal("{\"jobs\":null}").contains("missing key 'jobs'"));
    }

    @Test
    void readsTypedGpusOfRealSinfo() throws Exception {
        List<GpuId> gpus = SlurmJson.gpus(resource("sinfo-22.05.json"));
        assertEquals(4, gpus.size());
        assertEquals(3, gpus.get(3).index());
    }

    @Test
    void changedFormatsAreNamedNotGuessed() {
        assertTrue(squeueRefusal("JOBID STATE\n1 RUNNING").startsWith("squeue --json: not JSON at line 1"));
        assertTrue(squeueRefusal("{\"jobs\":[{\"job_state\":\"RUNNING\"}]}").contains("jobs[0]: missing key 'job_id'"));
        assertTrue(squeueRefusal("{\"errors\":[\"boom\"],\"jobs\":[]}").contains("reported errors"));
        assertTrue(squeueRefusal("{\"jobz\":[]}").contains("missing key 'jobs'"));
        assertTrue(squeueRefusal("{\"jobs\":{\"job_id\":1}}").contains("'jobs' is not an array"));
        assertTrue(squeueRefusal("{\"jobs\":[{\"job_id\":\"12a\",\"job_state\":\"RUNNING\"}]}")
                .contains("jobs[0].job_id is not a number: \"12a\""));
        assertTrue(squeueRefusal("{\"jobs\":[{\"job_id\":1,").matches("squeue --json: not JSON at line 1 column [0-9]+: .*"));
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
    void aLongOutputThenAShortOneOnTheSameThreadEachReadWhole() throws Exception {
        SlurmCommands c = new SlurmCommands(null, java.time.Duration.ofSeconds(10));
        String big = c.run("/bin/sh", List.of("-c", "head -c 300000 /dev/zero | tr '\\0' x; echo end"));
        assertEquals(300_004, big.length());
        assertTrue(big.endsWith("xend\n"));
        assertEquals("short\n", c.run("/bin/echo", List.of("short")), "nothing of the longer output is left over");
        assertEquals("\"$(x)\" ;|&\n", c.run("/bin/echo", List.of("\"$(x)\" ;|&")), "an argument is never a shell string");
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
