package io.gpucolo.admission.policy;

import io.gpucolo.admission.yaml.YamlSource;

import io.gpucolo.admission.yaml.Problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile or broken files: each refused with a clear message at its position, quickly, without a stack trace. */
class PolicyHardeningTest {
    @TempDir
    Path dir;

    private static List<Problem> problems(byte[] bytes) {
        LoadResult r = new PolicyLoader(LatencyFloor.NONE).parse("p.yaml", bytes);
        return assertInstanceOf(LoadResult.Invalid.class, r).problems();
    }

    private static List<Problem> problems(String text) {
        return problems(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aliasBombIsRefusedAtTheAliasThatCrossesTheLimit() {
        String bomb = """
                a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]
                b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
                c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
                d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
                e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
                f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
                g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
                h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
                i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
                """;
        List<Problem> p = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> problems(bomb));
        // 9 aliases per line from line 2: lines 2..8 hold 63, so the 65th is the second one of line 9
        assertEquals(List.of("p.yaml:9:12: more than 64 aliases: refused (alias bomb?)"),
                p.stream().map(Problem::toString).toList());
    }

    @Test
    void fileOverOneMebibyteIsRefusedBeforeReading() throws IOException {
        Path big = dir.resolve("big.yaml");
        byte[] line = "# padding padding padding padding padding padding padding padding padding\n"
                .getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (b.size() < 10 * 1024 * 1024) {
            b.write(line);
        }
        Files.write(big, b.toByteArray());
        LoadResult r = new PolicyLoader(LatencyFloor.NONE).load(big);
        assertEquals(List.of(big + ":1:1: file is " + b.size() + " bytes; a policy file may be at most 1048576 bytes (1 MiB)"),
                assertInstanceOf(LoadResult.Invalid.class, r).problems().stream().map(Problem::toString).toList());
    }

    @Test
    void bytesOverTheLimitAreRefusedToo() {
        byte[] big = new byte[YamlSource.MAX_BYTES + 1];
        Arrays.fill(big, (byte) ' ');
        assertEquals("p.yaml:1:1: file is 1048577 bytes; a policy file may be at most 1048576 bytes (1 MiB)",
                problems(big).get(0).toString());
    }

    @Test
    void invalidUtf8IsReportedAtItsLineAndColumn() {
        byte[] head = "limits:\n  max_guests_per_gpu: 2 # caf".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = Arrays.copyOf(head, head.length + 2);
        bytes[head.length] = (byte) 0xE9; // Latin-1 'é': not UTF-8
        bytes[head.length + 1] = '\n';
        assertEquals(List.of("p.yaml:2:30: invalid UTF-8: byte 0xE9 at offset 37; save the file as UTF-8"),
                problems(bytes).stream().map(Problem::toString).toList());
    }

    @Test
    void utf16IsNotUtf8() {
        byte[] bytes = "limits: {}\n".getBytes(StandardCharsets.UTF_16);
        assertEquals("p.yaml:1:1: invalid UTF-8: byte 0xFE at offset 0; save the file as UTF-8", problems(bytes).get(0).toString());
    }

    @Test
    void utf8ByteOrderMarkIsAccepted() {
        byte[] text = "limits: {max_guests_per_gpu: 3}\n".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[text.length + 3];
        bytes[0] = (byte) 0xEF;
        bytes[1] = (byte) 0xBB;
        bytes[2] = (byte) 0xBF;
        System.arraycopy(text, 0, bytes, 3, text.length);
        LoadResult r = new PolicyLoader(LatencyFloor.NONE).parse("p.yaml", bytes);
        assertEquals(3, assertInstanceOf(LoadResult.Valid.class, r).loaded().policy().limits().maxGuestsPerGpu());
    }

    @Test
    void tabIndentationIsReportedWhereTheTabIs() {
        assertEquals(List.of("p.yaml:3:1: tab character: YAML indentation must use spaces"),
                problems("limits:\n  max_guests_per_gpu: 2\n\ttraining_share_max_percent: 50\n").stream()
                        .map(Problem::toString).toList());
    }

    @Test
    void controlCharactersAreReportedEach() {
        assertEquals(List.of("p.yaml:1:10: control character U+0000 is not allowed in a policy file",
                        "p.yaml:2:3: control character U+0007 is not allowed in a policy file"),
                problems("limits: {\u0000}\n  \u0007\n").stream().map(Problem::toString).toList());
    }

    @Test
    void emptyAndCommentOnlyFilesAreRefused() {
        String expected = "p.yaml:1:1: empty policy file: expected a mapping of sections (see etc/gpucolo.yaml.example)";
        assertEquals(expected, problems("").get(0).toString());
        assertEquals(expected, problems("# nothing here\n\n").get(0).toString());
    }

    @Test
    void customTagsAreRefusedAndNothingIsConstructed() {
        List<Problem> p = problems("limits: !!javax.script.ScriptEngineManager [x]\ncontroller:\n  gain: !custom 1.0\n");
        assertEquals("p.yaml:1:9: tag 'tag:yaml.org,2002:javax.script.ScriptEngineManager' is not allowed: "
                + "a policy file uses plain YAML values", p.get(0).toString());
        assertEquals(1, p.stream().filter(x -> x.line() == 3 && x.message().startsWith("tag '!custom'")).count(), p::toString);
    }

    @Test
    void hugeValuesAndKeysAreCutInMessagesAndCheckedQuickly() {
        String big = "x".repeat(500_000);
        List<Problem> p = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> problems("placement:\n  plugin: " + big + "\n" + "y".repeat(1000) + ": 1\n"));
        assertEquals("p.yaml:2:11: placement.plugin: '" + "x".repeat(80) + "... (500000 characters)' is not one of "
                + "headroom, first-fit, dedicated, static-share", p.get(0).toString());
        assertEquals("p.yaml:3:1: unknown key '" + "y".repeat(80) + "... (1000 characters)'"
                + "; expected one of admitd, colocation, controller, eviction, failure, limits, margins, noded, placement,"
                + " services, slurm", p.get(1).toString());
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "a: " + "[".repeat(40) + "]".repeat(40) + "\n";
        assertEquals("p.yaml:1:19: nesting deeper than 16 levels: refused", problems(deep).get(0).toString());
    }

    @Test
    void secondDocumentIsRefused() {
        assertEquals("p.yaml:2:1: YAML syntax error: expected a single document in the stream: but found another document",
                problems("limits: {}\n---\nlimits: {}\n").get(0).toString());
    }

    @Test
    void missingUnreadableAndDirectoryPaths() throws IOException {
        Path missing = dir.resolve("nope.yaml");
        assertEquals(missing + ":1:1: no such file", one(missing));
        assertEquals(dir + ":1:1: is a directory, not a policy file", one(dir));
    }

    private static String one(Path p) {
        return assertInstanceOf(LoadResult.Invalid.class, new PolicyLoader(LatencyFloor.NONE).load(p)).problems().get(0)
                .toString();
    }
}
