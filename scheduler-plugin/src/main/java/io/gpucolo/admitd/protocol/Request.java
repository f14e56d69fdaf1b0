package io.gpucolo.admitd.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One request from the submit hook (or an admin client): {@code GPUCOLO/1 SECRET OP key=value ...}, one line,
 * at most {@link Wire#MAX_REQUEST_BYTES} bytes, values percent-encoded (see {@link Wire}).
 *
 * @param op     what is asked: {@code train}, {@code service}, {@code ping}, {@code status}
 * @param fields the decoded fields; raw bytes that were not UTF-8 appear with U+FFFD
 */
public record Request(String op, Map<String, String> fields) {
    /** The operations admitd answers. */
    public static final Set<String> OPS = Set.of("train", "service", "ping", "status");
    /** The most fields one request may carry. */
    public static final int MAX_FIELDS = 32;
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    public Request {
        Objects.requireNonNull(op, "op");
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public Optional<String> field(String key) {
        return Optional.ofNullable(fields.get(key)).filter(v -> !v.isEmpty());
    }

    /** The request line (without the newline) for this request, signed with the secret. */
    public String encode(String secret) {
        StringBuilder sb = new StringBuilder(Wire.VERSION).append(' ').append(secret).append(' ').append(op);
        fields.forEach((k, v) -> sb.append(' ').append(k).append('=').append(Wire.encode(v)));
        return sb.toString();
    }

    /**
     * Parses and validates one request line (without its newline).
     *
     * @param line   the raw bytes received
     * @param secret the shared secret the line must carry
     * @throws ProtocolException naming the first problem: version, secret, op, a field, a byte out of place
     */
    public static Request parse(byte[] line, String secret) throws ProtocolException {
        if (line.length >= Wire.MAX_REQUEST_BYTES) {
            throw new ProtocolException("request exceeds " + Wire.MAX_REQUEST_BYTES + " bytes");
        }
        for (int i = 0; i < line.length; i++) {
            int b = line[i] & 0xff;
            if (b != ' ' && (b < 0x21 || b > 0x7e)) {
                throw new ProtocolException("byte 0x" + Integer.toHexString(b) + " at column " + (i + 1)
                        + " (values must be %-encoded)");
            }
        }
        String text = new String(line, StandardCharsets.US_ASCII);
        String[] parts = text.split(" ", -1);
        if (parts.length < 3) {
            throw new ProtocolException("expected '" + Wire.VERSION + " SECRET OP [key=value ...]'");
        }
        if (!parts[0].equals(Wire.VERSION)) {
            throw new ProtocolException("unsupported protocol version '" + clip(parts[0]) + "', this is " + Wire.VERSION);
        }
        if (!MessageDigest.isEqual(parts[1].getBytes(StandardCharsets.US_ASCII), secret.getBytes(StandardCharsets.US_ASCII))) {
            throw new ProtocolException("wrong secret");
        }
        String op = parts[2];
        if (!OPS.contains(op)) {
            throw new ProtocolException("unknown operation '" + clip(op) + "'; expected one of " + OPS);
        }
        if (parts.length - 3 > MAX_FIELDS) {
            throw new ProtocolException("more than " + MAX_FIELDS + " fields");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 3; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            String key = eq < 0 ? parts[i] : parts[i].substring(0, eq);
            if (eq < 0 || !KEY.matcher(key).matches()) {
                throw new ProtocolException("field " + (i - 2) + " '" + clip(parts[i]) + "' is not key=value");
            }
            if (fields.put(key, Wire.decode(parts[i].substring(eq + 1))) != null) {
                throw new ProtocolException("field '" + key + "' given twice");
            }
        }
        return new Request(op, fields);
    }

    static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
