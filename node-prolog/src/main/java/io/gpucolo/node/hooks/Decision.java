package io.gpucolo.node.hooks;

import io.gpucolo.admission.model.GpuId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The admission decision as the job_submit hook recorded it in the job's admin comment (grammar of
 * {@code io.gpucolo.admitd.Verdicts}):
 * <pre>
 *   gpucolo:train id=dN gpu=NODE:gK share=P mem=MiB      a training guest (also accepted: gpucolo:admit ...)
 *   gpucolo:service id=dN gpu=NODE:gK name=NAME          an inference service
 * </pre>
 * Any other admin comment ({@code gpucolo:whole}, {@code gpucolo:fail-open}, {@code gpucolo:defer}, none) means the job
 * is not co-located and the hooks leave it alone.
 */
record Decision(Role role, String id, GpuId gpu, int share, long memMiB, String service) {
    enum Role { TRAINING, INFERENCE }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** Empty when the comment is not a co-location decision; IllegalArgumentException when it is one but garbled. */
    static Optional<Decision> parse(String adminComment) {
        if (adminComment == null) {
            return Optional.empty();
        }
        String c = adminComment.trim();
        String[] w = c.split("\\s+");
        boolean train = w[0].equals("gpucolo:train") || w[0].equals("gpucolo:admit");
        boolean service = w[0].equals("gpucolo:service");
        if (!train && !service) {
            return Optional.empty();
        }
        Map<String, String> f = new HashMap<>();
        for (int i = 1; i < w.length; i++) {
            int eq = w[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("admin comment '" + c + "': word " + (i + 1) + " '" + w[i] + "' is not key=value");
            }
            f.put(w[i].substring(0, eq), w[i].substring(eq + 1));
        }
        String gpuText = f.get("gpu");
        if (gpuText == null) {
            throw new IllegalArgumentException("admin comment '" + c + "': no gpu=NODE:gK");
        }
        GpuId gpu;
        try {
            gpu = GpuId.parse(gpuText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("admin comment '" + c + "': " + e.getMessage());
        }
        String id = f.getOrDefault("id", "");
        if (service) {
            String name = f.get("name");
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("admin comment '" + c + "': service needs name=NAME");
            }
            return Optional.of(new Decision(Role.INFERENCE, id, gpu, 100, 0, name));
        }
        int share = (int) number(c, f, "share", 1, 100);
        long mem = number(c, f, "mem", 1, 16L * 1024 * 1024);
        return Optional.of(new Decision(Role.TRAINING, id, gpu, share, mem, null));
    }

    private static long number(String c, Map<String, String> f, String key, long min, long max) {
        String v = f.get(key);
        if (v == null) {
            throw new IllegalArgumentException("admin comment '" + c + "': no " + key + "=");
        }
        try {
            long x = Long.parseLong(v);
            if (x < min || x > max) {
                throw new IllegalArgumentException("admin comment '" + c + "': " + key + "=" + v + " out of " + min + ".." + max);
            }
            return x;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("admin comment '" + c + "': " + key + "='" + v + "' is not a whole number");
        }
    }
}
