package io.gpucolo.admission.inventory;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One YAML mapping of an inventory file, read key by key with types and ranges. Problems go to the shared
 * list as {@code FILE:LINE:COLUMN: message}; a getter returns null when the value is missing or bad, so one
 * pass reports every problem. {@link #finish} reports keys that are not part of the format.
 */
final class YamlMap {
    private final String file;
    private final List<String> problems;
    private final Mark start;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Set<String> known;

    private YamlMap(String file, List<String> problems, MappingNode node, Set<String> known) {
        this.file = file;
        this.problems = problems;
        this.start = node.getStartMark();
        this.known = known;
        for (NodeTuple t : node.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                report(t.getKeyNode().getStartMark(), "keys must be plain names");
            } else if (entries.putIfAbsent(k.getValue(), t) != null) {
                report(k.getStartMark(), "duplicate key '" + k.getValue() + "'");
            }
        }
    }

    /** The mapping at {@code node}, or null (reported) when it is something else. */
    static YamlMap of(Node node, String what, Set<String> known, String file, List<String> problems) {
        if (node instanceof MappingNode m) {
            return new YamlMap(file, problems, m, known);
        }
        problems.add(where(file, node == null ? null : node.getStartMark()) + what + " must be a mapping of "
                + String.join(", ", new TreeSet<>(known)));
        return null;
    }

    /**
     * Composes YAML text into a node tree (no Java object is ever constructed from the file), refusing alias
     * bombs, deep nesting and duplicate keys; a syntax error becomes an {@link InventoryException}.
     */
    static Node compose(String text, String file, int maxChars) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(32);
        options.setNestingDepthLimit(20);
        options.setCodePointLimit(maxChars);
        try {
            return new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new InventoryException(List.of(where(file, m) + "YAML syntax error: "
                    + String.valueOf(e.getProblem()).replace('\n', ' ').strip()));
        } catch (YAMLException e) {
            throw new InventoryException(List.of(file + ":1:1: YAML error: " + e.getMessage()));
        }
    }

    static String where(String file, Mark m) {
        return m == null ? file + ":1:1: " : file + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1) + ": ";
    }

    void report(Mark m, String message) {
        problems.add(where(file, m) + message);
    }

    Node node(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? null : t.getValueNode();
    }

    Mark mark(String key) {
        Node n = node(key);
        return n == null ? start : n.getStartMark();
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    /** A text value; required values that are missing are reported. */
    String string(String key, boolean required) {
        Node n = node(key);
        if (n == null) {
            if (required) {
                report(start, "missing key '" + key + "'");
            }
            return null;
        }
        if (n instanceof ScalarNode s && !s.getValue().isEmpty()) {
            return s.getValue();
        }
        report(n.getStartMark(), key + " must be a non-empty text value");
        return null;
    }

    /** A whole number in {@code min..max}; {@code dflt} when absent (reported as missing when dflt is null). */
    Long whole(String key, long min, long max, Long dflt) {
        String s = string(key, dflt == null);
        if (s == null) {
            return has(key) ? null : dflt;
        }
        try {
            long v = Long.parseLong(s.replace("_", ""));
            if (v < min || v > max) {
                report(mark(key), key + " " + v + " is out of range " + min + ".." + max);
                return null;
            }
            return v;
        } catch (NumberFormatException e) {
            report(mark(key), key + " must be a whole number, got '" + s + "'");
            return null;
        }
    }

    /** A finite number in {@code min..max}; {@code dflt} when absent (reported as missing when dflt is null). */
    Double number(String key, double min, double max, Double dflt) {
        String s = string(key, dflt == null);
        if (s == null) {
            return has(key) ? null : dflt;
        }
        try {
            double v = Double.parseDouble(s);
            if (!(v >= min && v <= max)) {
                report(mark(key), key + " " + s + " is out of range " + min + ".." + max);
                return null;
            }
            return v;
        } catch (NumberFormatException e) {
            report(mark(key), key + " must be a number, got '" + s + "'");
            return null;
        }
    }

    /** {@code true} or {@code false}; {@code dflt} when absent. */
    Boolean bool(String key, boolean dflt) {
        String s = string(key, false);
        if (s == null) {
            return has(key) ? null : dflt;
        }
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        report(mark(key), key + " must be true or false, got '" + s + "'");
        return null;
    }

    /** The items of a sequence; empty when absent or null; reported when not a sequence. */
    List<Node> list(String key) {
        Node n = node(key);
        if (n == null || (n instanceof ScalarNode s && (s.getValue().isEmpty() || s.getValue().equals("null")))) {
            return List.of();
        }
        if (n instanceof SequenceNode seq) {
            return seq.getValue();
        }
        report(n.getStartMark(), key + " must be a list");
        return List.of();
    }

    /** A list of text values. */
    List<String> strings(String key) {
        List<String> out = new ArrayList<>();
        for (Node item : list(key)) {
            if (item instanceof ScalarNode s && !s.getValue().isEmpty()) {
                out.add(s.getValue());
            } else {
                report(item.getStartMark(), key + " must list text values");
            }
        }
        return out;
    }

    /** Reports every key outside the format. */
    void finish() {
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            if (!known.contains(e.getKey())) {
                report(e.getValue().getKeyNode().getStartMark(), "unknown key '" + e.getKey() + "'; expected one of "
                        + String.join(", ", new TreeSet<>(known)));
            }
        }
    }
}
