package io.gpucolo.admission.latency;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads and writes calibration profile files, format version 1 (UTF-8 text, documented in docs/MODEL.md):
 * <pre>
 * # comments and blank lines are ignored anywhere
 * gpucolo-latency-profile 1
 * gpu A100-80GB
 * model resnet50
 * source free text on one line (attribution, license, how it was measured)
 * units share=percent batch=requests procs=count duty=fraction latency=ms
 * columns inference_share_pct batch inference_procs training_share_pct training_duty mean_latency_ms p99_latency_ms
 * rows 2
 * 100 1 1 0 0 5.1066 NA
 * 100 1 1 50 1 6.2 7.9
 * end
 * </pre>
 * The parser is strict: every header line in this order, exactly these units and columns, exactly {@code rows}
 * data rows, then {@code end}. Truncated files, wrong units, unknown versions and impossible values (negative
 * or NaN latency, a share above 100, p99 below the mean) are refused with {@link ProfileFormatException}
 * ({@code FILE:LINE: message}). Only {@code p99_latency_ms} may be {@code NA} (not measured).
 */
public final class ProfileFormat {
    public static final String MAGIC = "gpucolo-latency-profile";
    public static final int VERSION = 1;
    static final String UNITS = "share=percent batch=requests procs=count duty=fraction latency=ms";
    static final String COLUMNS = "inference_share_pct batch inference_procs training_share_pct training_duty "
            + "mean_latency_ms p99_latency_ms";
    static final int MAX_ROWS = 1_000_000;
    static final int MAX_LINE = 4096;
    static final int MAX_BYTES = 64 * 1024 * 1024;
    private static final java.util.regex.Pattern DECIMAL =
            java.util.regex.Pattern.compile("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?");

    private ProfileFormat() {
    }

    /** Reads a profile file; a missing or unreadable file is reported as {@code FILE:0: message}. */
    public static LatencyProfile read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(file.toString(), in);
        } catch (NoSuchFileException e) {
            throw new ProfileFormatException(file.toString(), 0, "no such file");
        } catch (IOException e) {
            throw new ProfileFormatException(file.toString(), 0, "cannot read: " + e.getMessage());
        }
    }

    /** Reads a profile from a stream; {@code name} is the file name used in messages. */
    public static LatencyProfile read(String name, InputStream in) {
        byte[] bytes;
        try {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new ProfileFormatException(name, 0, "cannot read: " + e.getMessage());
        }
        if (bytes.length > MAX_BYTES) {
            throw new ProfileFormatException(name, 0, "larger than " + MAX_BYTES / (1024 * 1024) + " MiB");
        }
        return new Parser(name, bytes).parse();
    }

    /** Writes a profile in format version 1. */
    public static void write(LatencyProfile p, Writer out) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(MAGIC).append(' ').append(VERSION).append('\n');
        sb.append("gpu ").append(p.gpuModel()).append('\n');
        sb.append("model ").append(p.modelName()).append('\n');
        sb.append("source ").append(p.source()).append('\n');
        sb.append("units ").append(UNITS).append('\n');
        sb.append("columns ").append(COLUMNS).append('\n');
        sb.append("rows ").append(p.rows().size()).append('\n');
        for (ProfileRow r : p.rows()) {
            sb.append(num(r.inferenceSharePct())).append(' ').append(r.batch()).append(' ')
                    .append(r.inferenceProcs()).append(' ').append(num(r.trainingSharePct())).append(' ')
                    .append(num(r.trainingDuty())).append(' ').append(num(r.meanLatencyMs())).append(' ')
                    .append(Double.isNaN(r.p99LatencyMs()) ? "NA" : num(r.p99LatencyMs())).append('\n');
        }
        sb.append("end\n");
        out.write(sb.toString());
    }

    static String num(double v) {
        String s = String.format(Locale.ROOT, "%.4f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static final class Parser {
        private final String name;
        private final byte[] bytes;
        private int pos;
        private int lineNo;

        Parser(String name, byte[] bytes) {
            this.name = name;
            this.bytes = bytes;
        }

        LatencyProfile parse() {
            String magic = expect("the first line '" + MAGIC + " " + VERSION + "'");
            String[] m = magic.split("\\s+");
            if (m.length != 2 || !m[0].equals(MAGIC)) {
                throw fail("not a gpucolo latency profile: expected '" + MAGIC + " " + VERSION + "', got '"
                        + clip(magic) + "'");
            }
            if (!m[1].equals(Integer.toString(VERSION))) {
                throw fail("unsupported profile version '" + clip(m[1]) + "' (this gpucolo reads version " + VERSION + ")");
            }
            String gpu = value("gpu");
            String model = value("model");
            String source = value("source");
            String units = value("units");
            checkUnits(units);
            String columns = value("columns");
            if (!columns.trim().replaceAll("\\s+", " ").equals(COLUMNS)) {
                throw fail("columns must be exactly '" + COLUMNS + "', got '" + clip(columns) + "'");
            }
            String rowsText = value("rows");
            int rows;
            try {
                rows = Integer.parseInt(rowsText.trim());
            } catch (NumberFormatException e) {
                throw fail("rows must be a whole number, got '" + clip(rowsText) + "'");
            }
            if (rows < 1 || rows > MAX_ROWS) {
                throw fail("rows must be in 1.." + MAX_ROWS + ", got " + rows);
            }
            int headerLine = lineNo;
            List<ProfileRow> list = new ArrayList<>(Math.min(rows, 4096));
            for (int i = 0; i < rows; i++) {
                String line = next();
                if (line == null) {
                    throw fail("truncated: expected " + rows + " rows, found " + i + " and no 'end' line");
                }
                if (line.trim().equals("end")) {
                    throw fail("truncated: 'end' after " + i + " of " + rows + " rows");
                }
                list.add(row(line));
            }
            String end = next();
            if (end == null) {
                throw fail("truncated: missing 'end' line after " + rows + " rows");
            }
            if (!end.trim().equals("end")) {
                throw fail("expected 'end' after " + rows + " rows, got '" + clip(end) + "'");
            }
            String after = next();
            if (after != null) {
                throw fail("unexpected text after 'end': '" + clip(after) + "'");
            }
            try {
                return new LatencyProfile(gpu.trim(), model.trim(), source.trim(), list);
            } catch (IllegalArgumentException e) {
                throw new ProfileFormatException(name, headerLine, e.getMessage());
            }
        }

        private void checkUnits(String units) {
            String[] want = UNITS.split(" ");
            String[] got = units.trim().split("\\s+");
            for (String w : want) {
                String key = w.substring(0, w.indexOf('=') + 1);
                String found = null;
                for (String g : got) {
                    if (g.startsWith(key)) {
                        found = g;
                    }
                }
                if (found == null) {
                    throw fail("units: missing '" + w + "'");
                }
                if (!found.equals(w)) {
                    throw fail("wrong unit for " + key.substring(0, key.length() - 1) + ": '"
                            + clip(found.substring(key.length())) + "', expected '" + w.substring(key.length()) + "'");
                }
            }
            if (got.length != want.length) {
                throw fail("units must be exactly '" + UNITS + "', got '" + clip(units) + "'");
            }
        }

        private ProfileRow row(String line) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 7) {
                throw fail("expected 7 fields (" + COLUMNS + "), got " + f.length);
            }
            double share = number(f[0], "inference_share_pct");
            int batch = whole(f[1], "batch");
            int procs = whole(f[2], "inference_procs");
            double train = number(f[3], "training_share_pct");
            double duty = number(f[4], "training_duty");
            double mean = number(f[5], "mean_latency_ms");
            double p99 = f[6].equals("NA") ? Double.NaN : number(f[6], "p99_latency_ms");
            try {
                return new ProfileRow(share, batch, procs, train, duty, mean, p99);
            } catch (IllegalArgumentException e) {
                throw fail(e.getMessage());
            }
        }

        private double number(String s, String column) {
            double v;
            try {
                v = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw fail(column + ": not a number: '" + clip(s) + "'");
            }
            if (!Double.isFinite(v) || !DECIMAL.matcher(s).matches()) {
                throw fail(column + ": must be a finite number, got '" + clip(s) + "'");
            }
            return v;
        }

        private int whole(String s, String column) {
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw fail(column + ": not a whole number: '" + clip(s) + "'");
            }
        }

        private String value(String key) {
            String line = expect("the '" + key + "' line");
            if (!line.startsWith(key + " ") || line.length() == key.length() + 1) {
                throw fail("expected '" + key + " VALUE', got '" + clip(line) + "'");
            }
            return line.substring(key.length() + 1);
        }

        private String expect(String what) {
            String line = next();
            if (line == null) {
                throw fail("truncated: missing " + what);
            }
            return line;
        }

        /** Next line that is neither blank nor a comment, or null at the end of the file. */
        private String next() {
            while (pos < bytes.length) {
                int end = pos;
                while (end < bytes.length && bytes[end] != '\n') {
                    end++;
                }
                lineNo++;
                if (end - pos > MAX_LINE) {
                    throw fail("line longer than " + MAX_LINE + " bytes");
                }
                String line;
                try {
                    line = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes, pos, end - pos)).toString();
                } catch (CharacterCodingException e) {
                    throw fail("not valid UTF-8 text");
                }
                pos = end + 1;
                if (line.endsWith("\r")) {
                    line = line.substring(0, line.length() - 1);
                }
                String t = line.trim();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    return line;
                }
            }
            return null;
        }

        private ProfileFormatException fail(String message) {
            return new ProfileFormatException(name, lineNo, message);
        }

        private static String clip(String s) {
            return s.length() > 80 ? s.substring(0, 80) + "..." : s;
        }
    }
}
