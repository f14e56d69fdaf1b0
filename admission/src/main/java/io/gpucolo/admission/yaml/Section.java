package io.gpucolo.admission.yaml;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One YAML mapping of a configuration file (the policy, a cluster inventory, a request), read key by key with types and ranges. A getter returns the value
 * when it is valid and the given default otherwise (after reporting why, at the value's position), so one
 * pass finds every problem. {@link #finish()} reports the keys nobody asked for, with a "did you mean".
 */
public final class Section {
    private static final int MAX_LISTED = 16;
    private final Diagnostics diag;
    private final DocumentKind kind;
    private final String path;
    private final Mark start;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Set<String> asked = new LinkedHashSet<>();
    private boolean silent;

    private Section(Diagnostics diag, DocumentKind kind, String path, MappingNode node, Mark start) {
        this.diag = diag;
        this.kind = kind;
        this.path = path;
        this.start = start;
        if (node == null) {
            return;
        }
        for (NodeTuple t : node.getValue()) {
            Node k = t.getKeyNode();
            if (!(k instanceof ScalarNode sk) || !k.getTag().equals(Tag.STR)) {
                diag.at(k.getStartMark(), k.getTag().equals(Tag.MERGE)
                        ? "merge keys (<<) are not supported in a " + kind.noun() : "keys must be plain names");
            } else if (entries.containsKey(sk.getValue())) {
                diag.at(k.getStartMark(), "duplicate key '" + YamlValues.clip(qualified(sk.getValue())) + "' (first at line "
                        + (entries.get(sk.getValue()).getKeyNode().getStartMark().getLine() + 1) + ")");
            } else {
                entries.put(sk.getValue(), t);
            }
        }
    }

    /** The document root; null (an empty file) and non-mappings are reported. */
    public static Section root(Node root, Diagnostics diag, DocumentKind kind) {
        if (root instanceof MappingNode m) {
            return new Section(diag, kind, "", m, m.getStartMark());
        }
        diag.at(root == null ? null : root.getStartMark(), root == null || YamlValues.isNull(root)
                ? "empty " + kind.noun() + ": " + kind.emptyHint()
                : "a " + kind.noun() + " is " + kind.rootShape() + ", not " + YamlValues.kind(root));
        return new Section(diag, kind, "", null, null);
    }

    /** Where this section starts (its mapping, or its parent's when absent). */
    public Mark start() {
        return start;
    }

    public String path() {
        return path;
    }

    /** A nested mapping; absent or null (a header whose keys are all commented out) gives an empty section. */
    public Section section(String key) {
        Node v = value(key);
        if (v instanceof MappingNode m) {
            return new Section(diag, kind, qualified(key), m, m.getStartMark());
        }
        if (v != null && !YamlValues.isNull(v)) {
            wrong(v, key, "a mapping of keys");
        }
        return new Section(diag, kind, qualified(key), null, v == null ? start : v.getStartMark());
    }

    /** A nested mapping that must be there; when it is missing that is reported once, not per key. */
    public Section requiredSection(String key) {
        boolean missing = value(key) == null;
        Section s = section(key);
        if (missing) {
            diag.at(start, (path.isEmpty() ? "" : path + ": ") + "missing required key '" + key + "'");
            s.silent = true;
        }
        return s;
    }

    /** A sequence of mappings, e.g. the services. */
    public List<Section> sections(String key) {
        List<Section> out = new ArrayList<>();
        Node v = value(key);
        if (v instanceof SequenceNode seq) {
            List<Node> items = seq.getValue();
            for (int i = 0; i < items.size(); i++) {
                Node item = items.get(i);
                String p = qualified(key) + "[" + i + "]";
                if (item instanceof MappingNode m) {
                    out.add(new Section(diag, kind, p, m, m.getStartMark()));
                } else {
                    diag.at(item.getStartMark(), p + ": expected a mapping of keys, got " + YamlValues.kind(item));
                }
            }
        } else if (v != null && !YamlValues.isNull(v)) {
            wrong(v, key, "a list");
        }
        return out;
    }

    public long wholeNumber(String key, Long def, long min, long max) {
        record(key, def);
        ScalarNode s = scalar(key, def, "a whole number");
        if (s == null) {
            return def == null ? min : def;
        }
        if (!s.getTag().equals(Tag.INT)) {
            return mismatch(s, key, "a whole number", def == null ? min : def);
        }
        try {
            long v = Long.parseLong(s.getValue().replace("_", "").replaceFirst("^\\+", ""));
            return inRange(s, key, v, min, max) ? v : (def == null ? min : def);
        } catch (NumberFormatException e) {
            return mismatch(s, key, "a decimal whole number", def == null ? min : def);
        }
    }

    public int integer(String key, Integer def, int min, int max) {
        return (int) wholeNumber(key, def == null ? null : Long.valueOf(def), min, max);
    }

    public double number(String key, Double def, double min, double max) {
        record(key, def);
        ScalarNode s = scalar(key, def, "a number");
        double fallback = def == null ? min : def;
        if (s == null) {
            return fallback;
        }
        if (!s.getTag().equals(Tag.INT) && !s.getTag().equals(Tag.FLOAT)) {
            return mismatch(s, key, "a number", fallback);
        }
        double v;
        try {
            v = Double.parseDouble(s.getValue().replace("_", ""));
        } catch (NumberFormatException e) {
            return mismatch(s, key, "a finite decimal number", fallback);
        }
        if (!Double.isFinite(v)) {
            return mismatch(s, key, "a finite decimal number", fallback);
        }
        if (v < min || v > max) {
            diag.at(s.getStartMark(), qualified(key) + ": " + s.getValue() + " is out of range: must be in ["
                    + YamlValues.plain(min) + ", " + YamlValues.plain(max) + "]");
            return fallback;
        }
        return v;
    }

    /** {@code true} or {@code false} (YAML booleans only; a quoted "true" is text and refused). */
    public boolean bool(String key, Boolean def) {
        record(key, def);
        ScalarNode s = scalar(key, def, "true or false");
        boolean fallback = def != null && def;
        if (s == null) {
            return fallback;
        }
        if (!s.getTag().equals(Tag.BOOL)) {
            return mismatch(s, key, "true or false", fallback);
        }
        return Boolean.parseBoolean(s.getValue().toLowerCase(java.util.Locale.ROOT));
    }

    /** A duration written as whole milliseconds (keys ending in {@code _ms}). */
    public Duration millis(String key, Duration def, long minMs, long maxMs) {
        return Duration.ofMillis(wholeNumber(key, def.toMillis(), minMs, maxMs));
    }

    /** A duration written as whole seconds (keys ending in {@code _s}). */
    public Duration seconds(String key, Duration def, long minS, long maxS) {
        return Duration.ofSeconds(wholeNumber(key, def.toSeconds(), minS, maxS));
    }

    /** A non-empty scalar text (names, paths, URLs); booleans and nulls are refused. */
    public String string(String key, String def, Pattern allowed, String describe) {
        record(key, def);
        ScalarNode s = scalar(key, def, describe);
        if (s == null) {
            return def;
        }
        return text(s, qualified(key), allowed, describe) ? s.getValue() : def;
    }

    /** A list of names; each item must match {@code allowed}. */
    public List<String> strings(String key, List<String> def, Pattern allowed, String describe) {
        record(key, def);
        Node v = value(key);
        if (v == null) {
            return def;
        }
        if (!(v instanceof SequenceNode seq)) {
            return mismatch(v, key, "a list like [a, b]", def);
        }
        List<String> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < seq.getValue().size(); i++) {
            Node item = seq.getValue().get(i);
            String p = qualified(key) + "[" + i + "]";
            if (!(item instanceof ScalarNode s)) {
                diag.at(item.getStartMark(), p + ": expected " + describe + ", got " + YamlValues.kind(item));
                ok = false;
            } else if (text(s, p, allowed, describe)) {
                out.add(s.getValue());
            } else {
                ok = false;
            }
        }
        return ok ? out : def;
    }

    /** One of a closed set of names. */
    public <E extends Enum<E>> E choice(String key, E def, Function<String, Optional<E>> parse, List<String> names) {
        record(key, def);
        ScalarNode s = scalar(key, def, "one of " + names);
        if (s == null) {
            return def;
        }
        Optional<E> v = parse.apply(s.getValue());
        if (v.isEmpty()) {
            diag.at(s.getStartMark(), qualified(key) + ": '" + YamlValues.clip(s.getValue()) + "' is not one of " + String.join(", ", names)
                    + Suggest.didYouMean(s.getValue(), names));
            return def;
        }
        return v.get();
    }

    /** Where a key's value is, or where it would go (for problems that involve several keys). */
    public Mark mark(String key) {
        Node v = value(key);
        return v != null ? v.getStartMark() : start;
    }

    /** Reports a problem at a key's value, e.g. a contradiction between keys. */
    public void report(String key, String message) {
        diag.at(mark(key), qualified(key) + ": " + message);
    }

    /** Reports a contradiction between keys at the first of them present in the file (else the section). */
    public void reportAtFirst(String message, String... keys) {
        for (String k : keys) {
            if (has(k)) {
                diag.at(mark(k), qualified(k) + ": " + message);
                return;
            }
        }
        diag.at(start, (path.isEmpty() ? "" : path + ": ") + message);
    }

    /** Reports a problem at a node inside this section. */
    public void report(Node at, String message) {
        diag.at(at.getStartMark(), message);
    }

    public Node node(String key) {
        return value(key);
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    public String qualified(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /**
     * Reports every key that no getter asked for, with the closest known key, or else (for sections of at most
     * {@value #MAX_LISTED} keys) all of them.
     */
    public void finish() {
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            if (!asked.contains(e.getKey())) {
                String hint = Suggest.didYouMean(e.getKey(), asked);
                if (hint.isEmpty() && !asked.isEmpty() && asked.size() <= MAX_LISTED) {
                    hint = "; expected one of " + String.join(", ", new java.util.TreeSet<>(asked));
                }
                diag.at(e.getValue().getKeyNode().getStartMark(), "unknown key '" + YamlValues.clip(qualified(e.getKey())) + "'"
                        + hint);
            }
        }
    }

    private Node value(String key) {
        asked.add(key);
        NodeTuple t = entries.get(key);
        return t == null ? null : t.getValueNode();
    }

    private ScalarNode scalar(String key, Object def, String expected) {
        Node v = value(key);
        if (v == null) {
            if (def == null && !silent) {
                diag.at(start, (path.isEmpty() ? "" : path + ": ") + "missing required key '" + key + "'");
            }
            return null;
        }
        if (v instanceof ScalarNode s && !YamlValues.isNull(s)) {
            return s;
        }
        mismatch(v, key, expected, null);
        return null;
    }

    private boolean text(ScalarNode s, String where, Pattern allowed, String describe) {
        Tag t = s.getTag();
        if (!t.equals(Tag.STR) && !t.equals(Tag.INT) && !t.equals(Tag.FLOAT)) {
            diag.at(s.getStartMark(), where + ": expected " + describe + ", got " + YamlValues.kind(s)
                    + (t.equals(Tag.BOOL) ? " (quote it: '" + s.getValue() + "')" : ""));
            return false;
        }
        if (!allowed.matcher(s.getValue()).matches()) {
            diag.at(s.getStartMark(), where + ": '" + YamlValues.clip(s.getValue()) + "' is not " + describe);
            return false;
        }
        return true;
    }

    private boolean inRange(ScalarNode s, String key, long v, long min, long max) {
        if (v < min || v > max) {
            diag.at(s.getStartMark(), qualified(key) + ": " + v + " is out of range: must be " + min + ".." + max);
            return false;
        }
        return true;
    }

    private <T> T mismatch(Node v, String key, String expected, T fallback) {
        diag.at(v.getStartMark(), qualified(key) + ": expected " + expected + ", got " + YamlValues.kind(v)
                + (v instanceof ScalarNode s && !YamlValues.isNull(s) ? " '" + YamlValues.clip(s.getValue()) + "'" : ""));
        return fallback;
    }

    private void wrong(Node v, String key, String expected) {
        mismatch(v, key, expected, null);
    }

    private void record(String key, Object def) {
        if (def != null) {
            diag.recordDefault(qualified(key), YamlValues.render(def));
        }
    }
}
