package io.gpucolo.admitd.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * admitd's answer: {@code GPUCOLO/1 VERDICT key=value ...}, one line, values percent-encoded.
 * Verdicts: {@code admit} (fields {@code tres}, {@code nodes}, {@code note}, {@code gpu}, {@code msg}),
 * {@code defer} ({@code note}, {@code msg}: the hook holds the job), {@code reject} ({@code msg} shown by
 * sbatch), {@code ok} (ping, status, explain) and {@code error} ({@code msg}: the request was malformed).
 */
public record Reply(String verdict, Map<String, String> fields) {
    public static final Set<String> VERDICTS = Set.of("admit", "defer", "reject", "ok", "error");

    public Reply {
        Objects.requireNonNull(verdict, "verdict");
        if (!VERDICTS.contains(verdict)) {
            throw new IllegalArgumentException("unknown verdict " + verdict);
        }
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public static Reply error(String message) {
        return new Reply("error", Map.of("msg", message));
    }

    public Optional<String> field(String key) {
        return Optional.ofNullable(fields.get(key));
    }

    /** The reply line, without its newline. */
    public String encode() {
        StringBuilder sb = new StringBuilder(Wire.VERSION).append(' ').append(verdict);
        fields.forEach((k, v) -> sb.append(' ').append(k).append('=').append(Wire.encode(v)));
        return sb.toString();
    }

    /** Parses a reply line (clients: CLI, tests, benchmarks). */
    public static Reply parse(String line) throws ProtocolException {
        if (line.getBytes(StandardCharsets.UTF_8).length > 16 * Wire.MAX_REQUEST_BYTES) {
            throw new ProtocolException("reply too long");
        }
        String[] parts = line.split(" ", -1);
        if (parts.length < 2 || !parts[0].equals(Wire.VERSION)) {
            throw new ProtocolException("not a " + Wire.VERSION + " reply: '" + Request.clip(line) + "'");
        }
        if (!VERDICTS.contains(parts[1])) {
            throw new ProtocolException("unknown verdict '" + Request.clip(parts[1]) + "'");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 2; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0) {
                throw new ProtocolException("reply field '" + Request.clip(parts[i]) + "' is not key=value");
            }
            fields.put(parts[i].substring(0, eq), Wire.decode(parts[i].substring(eq + 1)));
        }
        return new Reply(parts[1], fields);
    }
}
