package io.gpucolo.node.noded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The hooks' Jackson-free codec against the protocol's reference, Jackson ({@link Wire#JSON}). */
class LeanWireTest {
    @Test
    void requestsAreWhatJacksonWritesAndNodedReads() throws Exception {
        List<Wire.Request> requests = List.of(
                new Wire.Request("register", JobRegistration.training("12", 3, List.of(), "/run/gpucolo/launcher/12/l.sock", 30), null),
                new Wire.Request("register", JobRegistration.training("12_7", 0, List.of(4242L, 77L), "/tmp/a \"b\"\\c\u0001\u00e9", 5), null),
                new Wire.Request("register", new JobRegistration("9+1", 1, Role.TRAINING, List.of(), "/sys/fs/cgroup/job_9", null,
                        100, null, 0, null, null), null),
                new Wire.Request("register", JobRegistration.inference("13", 1, "qa.v2", 250.5, null, null), null),
                new Wire.Request("register", JobRegistration.inference("14", 1, "vision", 1e-3,
                        "http://127.0.0.1:8002/metrics", "nv_inference_request_duration_ms"), null),
                new Wire.Request("deregister", null, "12"),
                new Wire.Request("resume", null, null));
        for (Wire.Request r : requests) {
            String lean = LeanWire.request(r.op(), r.job(), r.jobId());
            assertEquals(Wire.JSON.writeValueAsString(r), lean);
            assertEquals(r, Wire.JSON.readValue(lean, Wire.Request.class));
        }
    }

    @Test
    void repliesAsNodedWritesThem() throws Exception {
        LeanWire.Reply ok = LeanWire.reply(Wire.JSON.writeValueAsString(Wire.Reply.resumed(3)));
        assertTrue(ok.ok());
        assertEquals(3, ok.resumed());
        assertNull(ok.error());
        LeanWire.Reply refused = LeanWire.reply(Wire.JSON.writeValueAsString(Wire.Reply.error("user 'x' \"may\" not\n")));
        assertFalse(refused.ok());
        assertEquals("user 'x' \"may\" not\n", refused.error());
        LeanWire.Reply status = LeanWire.reply(" {\"ok\":true,\"status\":{\"gpus\":[{\"p99\":[1,2,{\"a\":\"}\"}]}]},"
                + "\"resumed\":0,\"error\":null}\n");
        assertTrue(status.ok());
        assertEquals(0, status.resumed());
    }

    @Test
    void garbledRepliesSayWhere() {
        for (String bad : List.of("", "nope", "{\"ok\":tru", "{\"ok\" true}", "{\"error\":\"open", "{\"status\":{\"a\":1}")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LeanWire.reply(bad), bad);
            assertTrue(e.getMessage().startsWith("noded reply: "), e.getMessage());
        }
    }
}
