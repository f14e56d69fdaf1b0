package io.gpucolo.node.noded;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The control socket's protocol: one JSON object per line each way, one request per connection.
 * Requests: {@code {"op":"register","job":{...}}}, {@code {"op":"deregister","jobId":"12"}},
 * {@code {"op":"resume","jobId":"12"}} (jobId null or absent: every job), {@code {"op":"status"}}.
 * Replies: {@code {"ok":true,"resumed":N,"status":{...}}} or {@code {"ok":false,"error":"why"}}.
 */
final class Wire {
    static final int MAX_LINE = 64 * 1024;
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Wire() {
    }

    record Request(String op, JobRegistration job, String jobId) {
    }

    record Reply(boolean ok, String error, Integer resumed, JsonNode status) {
        static Reply error(String why) {
            return new Reply(false, why, null, null);
        }

        static Reply resumed(int n) {
            return new Reply(true, null, n, null);
        }
    }
}
