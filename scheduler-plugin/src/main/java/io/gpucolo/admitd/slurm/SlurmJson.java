package io.gpucolo.admitd.slurm;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpucolo.admission.model.GpuId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the JSON that Slurm 22.05's {@code squeue --json} and {@code sinfo --json} print (openapi
 * v0.0.38 data). Missing keys or wrong types are reported with the path of the key, never guessed.
 */
public final class SlurmJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SlurmJson() {
    }

    /** The jobs of {@code squeue --json}. */
    public static List<SlurmJob> jobs(String text) throws SlurmFormatException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return jobs(b, b.length);
    }

    /**
     * The jobs of {@code squeue --json} in the first {@code length} bytes of {@code json}, read as a stream: only the
     * fields admitd needs are kept, so a reconcile of thousands of jobs (several MB of JSON, every period) does not
     * build the whole document as a tree.
     */
    public static List<SlurmJob> jobs(byte[] json, int length) throws SlurmFormatException {
        String what = "squeue --json";
        try (JsonParser p = JSON.getFactory().createParser(json, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new SlurmFormatException(what + ": output is not a JSON object");
            }
            List<SlurmJob> out = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken t = p.nextToken();
                if (key.equals("errors")) {
                    JsonNode errors = p.readValueAsTree();
                    if (errors != null && errors.isArray() && !errors.isEmpty()) {
                        throw new SlurmFormatException(what + " reported errors: " + errors);
                    }
                } else if (key.equals("jobs") && t != JsonToken.VALUE_NULL) {
                    if (t != JsonToken.START_ARRAY) {
                        throw new SlurmFormatException(what + ": 'jobs' is not an array");
                    }
                    out = new ArrayList<>();
                    for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
                        out.add(job(p, what + ": jobs[" + i + "]"));
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (out == null) {
                throw new SlurmFormatException(what + ": missing key 'jobs' (changed Slurm output format?)");
            }
            return out;
        } catch (JsonProcessingException e) {
            throw notJson(what, e);
        } catch (java.io.IOException e) {
            throw new SlurmFormatException(what + ": " + e.getMessage(), e);
        }
    }

    /** One element of {@code jobs}, the parser on its first token. */
    private static SlurmJob job(JsonParser p, String where) throws java.io.IOException, SlurmFormatException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new SlurmFormatException(where + " is not an object");
        }
        String id = null;
        String state = null;
        Map<String, String> text = new HashMap<>();
        List<String> gres = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken t = p.nextToken();
            switch (key) {
                case "job_id" -> {
                    if (t == JsonToken.VALUE_NULL) {
                        break;
                    }
                    if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                        String shown = t == JsonToken.VALUE_STRING ? "\"" + p.getText() + "\"" : p.getText();
                        p.skipChildren();
                        throw new SlurmFormatException(where + ".job_id is not a number: " + shown);
                    }
                    id = Long.toString(p.getLongValue());
                }
                case "job_state" -> state = t == JsonToken.VALUE_NULL ? null : scalar(p);
                case "gres_detail" -> {
                    if (t == JsonToken.START_ARRAY) {
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            gres.add(scalar(p));
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                case "state_reason", "user_name", "admin_comment", "tres_per_node", "nodes" ->
                        text.put(key, t == JsonToken.VALUE_NULL ? "" : scalar(p));
                default -> p.skipChildren();
            }
        }
        if (id == null) {
            throw new SlurmFormatException(where + ": missing key 'job_id' (changed Slurm output format?)");
        }
        if (state == null) {
            throw new SlurmFormatException(where + ": missing key 'job_state' (changed Slurm output format?)");
        }
        return new SlurmJob(id, state, text.getOrDefault("state_reason", ""), text.getOrDefault("user_name", ""),
                text.getOrDefault("admin_comment", ""), text.getOrDefault("tres_per_node", ""),
                text.getOrDefault("nodes", ""), gres);
    }

    /** A value's text as Jackson's {@code asText()} gives it: a scalar's text, "" for an object or an array. */
    private static String scalar(JsonParser p) throws java.io.IOException {
        if (p.currentToken().isStructStart()) {
            p.skipChildren();
            return "";
        }
        return p.getValueAsString("");
    }

    private static SlurmFormatException notJson(String what, JsonProcessingException e) {
        return new SlurmFormatException(what + ": not JSON at line " + e.getLocation().getLineNr() + " column "
                + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
    }

    /** The GPUs of every node of {@code sinfo --json}, from typed GRES {@code gpu:gN:1}. */
    public static List<GpuId> gpus(String text) throws SlurmFormatException {
        JsonNode nodes = require(tree(text, "sinfo --json"), "nodes", "sinfo --json");
        List<GpuId> out = new ArrayList<>();
        int i = 0;
        for (JsonNode n : nodes) {
            String where = "sinfo --json: nodes[" + i++ + "]";
            String name = require(n, "name", where).asText();
            for (String g : text(n, "gres").split(",")) {
                String[] p = g.split(":");
                if (p.length >= 3 && p[0].equals("gpu") && p[1].matches("g[0-9]{1,4}")) {
                    GpuId id = new GpuId(name, Integer.parseInt(p[1].substring(1)));
                    if (!out.contains(id)) {
                        out.add(id);
                    }
                }
            }
        }
        return out;
    }

    private static JsonNode tree(String text, String what) throws SlurmFormatException {
        try {
            JsonNode root = JSON.readTree(text);
            if (root == null || !root.isObject()) {
                throw new SlurmFormatException(what + ": output is not a JSON object");
            }
            JsonNode errors = root.path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                throw new SlurmFormatException(what + " reported errors: " + errors);
            }
            return root;
        } catch (JsonProcessingException e) {
            throw notJson(what, e);
        }
    }

    private static JsonNode require(JsonNode n, String key, String where) throws SlurmFormatException {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            throw new SlurmFormatException(where + ": missing key '" + key + "' (changed Slurm output format?)");
        }
        return v;
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? "" : v.asText();
    }
}
