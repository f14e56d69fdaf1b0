package io.gpucolo.admitd.slurm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpucolo.admission.model.GpuId;
import java.util.ArrayList;
import java.util.List;

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
        JsonNode root = tree(text, "squeue --json");
        JsonNode jobs = require(root, "jobs", "squeue --json");
        if (!jobs.isArray()) {
            throw new SlurmFormatException("squeue --json: 'jobs' is not an array");
        }
        List<SlurmJob> out = new ArrayList<>(jobs.size());
        int i = 0;
        for (JsonNode j : jobs) {
            String where = "squeue --json: jobs[" + i++ + "]";
            JsonNode id = require(j, "job_id", where);
            if (!id.canConvertToLong()) {
                throw new SlurmFormatException(where + ".job_id is not a number: " + id);
            }
            List<String> gres = new ArrayList<>();
            JsonNode gd = j.path("gres_detail");
            if (gd.isArray()) {
                gd.forEach(g -> gres.add(g.asText()));
            }
            out.add(new SlurmJob(Long.toString(id.asLong()), require(j, "job_state", where).asText(),
                    text(j, "state_reason"), text(j, "user_name"), text(j, "admin_comment"),
                    text(j, "tres_per_node"), text(j, "nodes"), gres));
        }
        return out;
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
            throw new SlurmFormatException(what + ": not JSON at line " + e.getLocation().getLineNr() + " column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
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
