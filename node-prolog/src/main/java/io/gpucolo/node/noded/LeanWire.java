package io.gpucolo.node.noded;

import java.util.List;

/**
 * The hooks' side of the control socket protocol ({@link Wire}) without Jackson: a Slurm prolog/epilog is a fresh JVM
 * per job, and Jackson's start-up (class loading and record introspection) costs more than the hook's own work. It
 * writes the {@code register}, {@code deregister} and {@code resume} requests exactly as {@link Wire#JSON} would (same
 * field names and order, nulls included; checked by a round-trip test against Jackson) and reads the small replies
 * ({@code ok}, {@code error}, {@code resumed}; any other member, e.g. {@code status}, is skipped). noded itself still
 * parses with Jackson.
 */
final class LeanWire {
    private LeanWire() {
    }

    /** The reply fields a hook needs. */
    record Reply(boolean ok, String error, Integer resumed) {
    }

    /** {@code {"op":OP,"job":{...}|null,"jobId":ID|null}}. */
    static String request(String op, JobRegistration job, String jobId) {
        StringBuilder b = new StringBuilder(256).append("{\"op\":");
        str(b, op).append(",\"job\":");
        if (job == null) {
            b.append("null");
        } else {
            b.append("{\"jobId\":");
            str(b, job.jobId()).append(",\"gpu\":").append(job.gpu()).append(",\"role\":");
            str(b, job.role().name()).append(",\"pids\":[");
            List<Long> pids = job.pids();
            for (int i = 0; i < pids.size(); i++) {
                b.append(i == 0 ? "" : ",").append(pids.get(i).longValue());
            }
            b.append("],\"cgroup\":");
            str(b, job.cgroup()).append(",\"launcherSocket\":");
            str(b, job.launcherSocket()).append(",\"mpsShare\":").append(job.mpsShare()).append(",\"service\":");
            str(b, job.service()).append(",\"sloMs\":").append(Double.toString(job.sloMs())).append(",\"metricsUrl\":");
            str(b, job.metricsUrl()).append(",\"metricName\":");
            str(b, job.metricName()).append('}');
        }
        b.append(",\"jobId\":");
        return str(b, jobId).append('}').toString();
    }

    private static StringBuilder str(StringBuilder b, String s) {
        if (s == null) {
            return b.append("null");
        }
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            } else {
                b.append(c);
            }
        }
        return b.append('"');
    }

    /** Reads a reply object; IllegalArgumentException naming the offset when it is not JSON. */
    static Reply reply(String text) {
        Parser p = new Parser(text);
        p.ws();
        p.expect('{');
        boolean ok = false;
        String error = null;
        Integer resumed = null;
        p.ws();
        if (!p.eat('}')) {
            do {
                p.ws();
                String key = p.string();
                p.ws();
                p.expect(':');
                p.ws();
                switch (key) {
                    case "ok" -> ok = Boolean.TRUE.equals(p.value());
                    case "error" -> error = p.value() instanceof String s ? s : null;
                    case "resumed" -> resumed = p.value() instanceof Double d ? (Integer) d.intValue() : null;
                    default -> p.value();
                }
                p.ws();
            } while (p.eat(','));
            p.expect('}');
        }
        return new Reply(ok, error, resumed);
    }

    /** A small JSON reader: strings, numbers (as Double), booleans, null; objects and arrays are skipped (null). */
    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        boolean eat(char c) {
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        void expect(char c) {
            if (!eat(c)) {
                throw new IllegalArgumentException("noded reply: expected '" + c + "' at offset " + i);
            }
        }

        Object value() {
            if (i >= s.length()) {
                throw new IllegalArgumentException("noded reply: truncated at offset " + i);
            }
            char c = s.charAt(i);
            if (c == '"') {
                return string();
            }
            if (c == '{' || c == '[') {
                skipNested();
                return null;
            }
            int start = i;
            while (i < s.length() && ",}] \t\r\n".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            String word = s.substring(start, i);
            switch (word) {
                case "true":
                    return Boolean.TRUE;
                case "false":
                    return Boolean.FALSE;
                case "null":
                    return null;
                default:
                    try {
                        return Double.valueOf(word);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("noded reply: bad value '" + word + "' at offset " + start);
                    }
            }
        }

        String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                if (i >= s.length()) {
                    break;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        if (i + 4 > s.length()) {
                            throw new IllegalArgumentException("noded reply: bad \\u escape at offset " + i);
                        }
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> b.append(e);
                }
            }
            throw new IllegalArgumentException("noded reply: unterminated string");
        }

        private void skipNested() {
            int depth = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '"') {
                    string();
                    continue;
                }
                i++;
                if (c == '{' || c == '[') {
                    depth++;
                } else if ((c == '}' || c == ']') && --depth == 0) {
                    return;
                }
            }
            throw new IllegalArgumentException("noded reply: unterminated object");
        }
    }
}
