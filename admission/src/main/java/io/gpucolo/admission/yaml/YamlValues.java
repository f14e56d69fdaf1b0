package io.gpucolo.admission.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** How YAML values are named in messages and written in the example file. */
public final class YamlValues {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@*+-][A-Za-z0-9_./:=@*+ -]*");

    /** Longest text of a value or key repeated in a message; longer ones are cut with an ellipsis. */
    public static final int MAX_SHOWN = 80;

    private YamlValues() {
    }

    /** The text, cut to {@link #MAX_SHOWN} characters, so one huge scalar cannot make a huge message. */
    public static String clip(String text) {
        return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "... (" + text.length() + " characters)";
    }

    /** The YAML text of a default, as the example file writes it. */
    public static String render(Object v) {
        if (v instanceof List<?> l) {
            List<String> items = new ArrayList<>();
            for (Object o : l) {
                items.add(render(o));
            }
            return "[" + String.join(", ", items) + "]";
        }
        if (v instanceof Enum<?> e) {
            return Keys.of(e);
        }
        if (v instanceof Double d) {
            return plain(d);
        }
        String s = String.valueOf(v);
        return s.isEmpty() || !PLAIN.matcher(s).matches() ? "\"" + s.replace("\"", "\\\"") + "\"" : s;
    }

    public static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) + ".0" : String.valueOf(d);
    }

    public static boolean isNull(Node n) {
        return n.getTag().equals(Tag.NULL);
    }

    public static String kind(Node n) {
        if (n instanceof MappingNode) {
            return "a mapping";
        }
        if (n instanceof SequenceNode) {
            return "a list";
        }
        Tag t = n.getTag();
        if (t.equals(Tag.NULL)) {
            return "no value";
        }
        if (t.equals(Tag.BOOL)) {
            return "a boolean";
        }
        if (t.equals(Tag.INT) || t.equals(Tag.FLOAT)) {
            return "a number";
        }
        return "a string";
    }
}
