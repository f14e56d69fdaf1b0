package io.gpucolo.node.emu;

import java.util.LinkedHashMap;
import java.util.Map;

/** Parses the {@code key=value} words of one protocol line of the emulated GPU and the emulated MPS daemon. */
final class Wire {
    private Wire() {
    }

    /** The words after the verb as an ordered map; a word without '=' maps to the empty string. */
    static Map<String, String> fields(String[] words, int from) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = from; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            if (eq < 0) {
                m.put(words[i], "");
            } else {
                m.put(words[i].substring(0, eq), words[i].substring(eq + 1));
            }
        }
        return m;
    }

    static String required(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("missing " + key + "=");
        }
        return v;
    }

    static int intField(Map<String, String> m, String key, int dflt, int min, int max) {
        String v = m.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            int x = Integer.parseInt(v);
            if (x < min || x > max) {
                throw new IllegalArgumentException(key + "=" + v + " out of range " + min + ".." + max);
            }
            return x;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + v + " is not an integer");
        }
    }

    static long longField(Map<String, String> m, String key, long dflt) {
        String v = m.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            long x = Long.parseLong(v);
            if (x < 0) {
                throw new IllegalArgumentException(key + "=" + v + " must be >= 0");
            }
            return x;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + v + " is not an integer");
        }
    }

    static double doubleField(Map<String, String> m, String key) {
        String v = required(m, key);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + v + " is not a number");
        }
    }
}
