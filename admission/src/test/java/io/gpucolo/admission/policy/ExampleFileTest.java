package io.gpucolo.admission.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpucolo.admission.latency.CalibratedLatencyModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code etc/gpucolo.yaml.example} is valid with the real latency model, and documents every key that has a
 * default, with that default, under its section.
 */
class ExampleFileTest {
    private static final Pattern KEY_LINE = Pattern.compile("^( *)#?([a-z0-9_]+):\\s*(.*?)\\s*$");

    static Path example() {
        return Path.of(System.getProperty("gpucolo.root", "."), "etc", "gpucolo.yaml.example");
    }

    @Test
    void exampleIsValidWithTheRealLatencyModel() {
        LatencyFloor floor = LatencyFloor.of(CalibratedLatencyModel.builtIn(), List.of("A100"));
        LoadResult r = new PolicyLoader(floor).load(example());
        if (r instanceof LoadResult.Invalid i) {
            throw new AssertionError("example has problems: " + i.problems());
        }
        Policy p = ((LoadResult.Valid) r).loaded().policy();
        assertEquals(Policy.defaults().withServices(p.services()), p, "every non-service key is commented at its default");
        assertFalse(p.services().isEmpty(), "the example declares services");
    }

    @Test
    void everyDefaultedKeyIsDocumentedWithItsDefault() throws IOException {
        Map<String, String> documented = documentedKeys(Files.readAllLines(example()));
        Map<String, String> defaults = PolicyLoader.documentedDefaults();
        assertTrue(defaults.size() >= 45, "defaults seen: " + defaults.keySet());
        List<String> wrong = new ArrayList<>();
        defaults.forEach((path, value) -> {
            String doc = documented.get(path);
            if (doc == null || !unquote(doc).equals(unquote(value))) {
                wrong.add(path + " (default " + value + ", example " + doc + ")");
            }
        });
        assertEquals(List.of(), wrong);
    }

    @Test
    void everySectionOfPolicyDefaultsHasAHeaderInTheExample() throws IOException {
        String text = Files.readString(example());
        for (var c : Policy.class.getRecordComponents()) {
            String section = c.getName().equals("services") ? "services" : c.getName();
            assertTrue(Pattern.compile("(?m)^" + section + ":").matcher(text).find(), "no section " + section);
        }
    }

    /** Dotted key paths of the example, from indentation; commented keys count. */
    static Map<String, String> documentedKeys(List<String> lines) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        List<String> stack = new ArrayList<>();
        List<Integer> indents = new ArrayList<>();
        for (String line : lines) {
            Matcher m = KEY_LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            int indent = m.group(1).length();
            while (!indents.isEmpty() && indents.get(indents.size() - 1) >= indent) {
                indents.remove(indents.size() - 1);
                stack.remove(stack.size() - 1);
            }
            stack.add(m.group(2));
            indents.add(indent);
            out.putIfAbsent(String.join(".", stack), m.group(3));
        }
        return out;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
