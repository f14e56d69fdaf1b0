package io.gpucolo.sim.traces;

/**
 * One CSV line split on commas without copying: field boundaries are kept in a reusable int array, and
 * numbers are parsed in place. Quotes are not interpreted (none of the supported formats quotes fields);
 * the same instance is reused for every line of a file, so reading allocates nothing per numeric field.
 */
final class CsvRow {
    private String line = "";
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private int count;

    /** Splits {@code text} (no trailing newline) into fields. */
    CsvRow set(String text) {
        line = text;
        count = 0;
        int from = 0;
        int len = text.length();
        if (len > 0 && text.charAt(len - 1) == '\r') {
            len--;
        }
        for (int i = 0; i <= len; i++) {
            if (i == len || text.charAt(i) == ',') {
                if (count == starts.length) {
                    starts = java.util.Arrays.copyOf(starts, count * 2);
                    ends = java.util.Arrays.copyOf(ends, count * 2);
                }
                starts[count] = from;
                ends[count] = i;
                count++;
                from = i + 1;
            }
        }
        return this;
    }

    int size() {
        return count;
    }

    boolean isEmpty(int i) {
        return ends[i] == starts[i];
    }

    String text(int i) {
        return line.substring(starts[i], ends[i]).trim();
    }

    boolean is(int i, String s) {
        return ends[i] - starts[i] == s.length() && line.startsWith(s, starts[i]);
    }

    /**
     * Parses field {@code i} as a decimal number; plain integers are parsed in place, anything else through
     * {@link Double#parseDouble}. Throws {@link NumberFormatException} naming the text when it is no number.
     */
    double number(int i) {
        int s = starts[i];
        int e = ends[i];
        if (s == e) {
            throw new NumberFormatException("empty");
        }
        long v = 0;
        boolean neg = false;
        int p = s;
        if (line.charAt(p) == '-') {
            neg = true;
            p++;
        }
        boolean plain = p < e && e - p < 18;
        for (int k = p; k < e && plain; k++) {
            char c = line.charAt(k);
            if (c < '0' || c > '9') {
                plain = false;
            } else {
                v = v * 10 + (c - '0');
            }
        }
        if (plain) {
            return neg ? -v : v;
        }
        String t = line.substring(s, e).trim();
        double d = Double.parseDouble(t);
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new NumberFormatException(t);
        }
        return d;
    }
}
