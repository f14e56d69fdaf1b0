package io.gpucolo.admission.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Profile files: round trip, and every kind of bad file refused with FILE:LINE. */
class ProfileFormatTest {
    static final String GOOD = """
            # a comment
            gpucolo-latency-profile 1
            gpu A100-80GB
            model toy
            source unit test
            units share=percent batch=requests procs=count duty=fraction latency=ms
            columns inference_share_pct batch inference_procs training_share_pct training_duty mean_latency_ms p99_latency_ms
            rows 2
            100 1 1 0 0 5.1 NA

            100 1 1 50 1 6.2 7.9
            end
            """;

    @TempDir
    Path dir;

    static LatencyProfile parse(String text) {
        return ProfileFormat.read("p.profile", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsAGoodFile() {
        LatencyProfile p = parse(GOOD);
        assertEquals("A100-80GB", p.gpuModel());
        assertEquals("toy", p.modelName());
        assertEquals(2, p.rows().size());
        assertEquals(new ProfileRow(100, 1, 1, 50, 1, 6.2, 7.9), p.rows().get(1));
        assertTrue(Double.isNaN(p.rows().get(0).p99LatencyMs()));
    }

    @Test
    void writeThenReadGivesTheSameProfile() throws IOException {
        LatencyProfile p = parse(GOOD);
        StringWriter w = new StringWriter();
        ProfileFormat.write(p, w);
        Path f = dir.resolve("round.profile");
        Files.writeString(f, w.toString());
        assertEquals(p, ProfileFormat.read(f));
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("truncated rows", "rows 2", "rows 3", 12, "truncated: 'end' after 2 of 3 rows"),
                Arguments.of("no end line", "end\n", "", 11, "truncated: missing 'end' line after 2 rows"),
                Arguments.of("wrong latency unit", "latency=ms", "latency=s", 6, "wrong unit for latency: 's', expected 'ms'"),
                Arguments.of("missing unit", "duty=fraction ", "", 6, "units: missing 'duty=fraction'"),
                Arguments.of("share above 100", "100 1 1 50", "150 1 1 50", 11,
                        "inference share must be in (0, 100] percent, got 150.0"),
                Arguments.of("negative latency", "5.1 NA", "-5.1 NA", 9,
                        "mean latency must be a positive finite number of ms, got -5.1"),
                Arguments.of("NaN latency", "5.1 NA", "NaN NA", 9, "mean_latency_ms: must be a finite number, got 'NaN'"),
                Arguments.of("p99 below mean", "6.2 7.9", "6.2 3", 11,
                        "p99 latency must be a finite number >= the mean 6.2 ms, got 3.0"),
                Arguments.of("bad number", "5.1 NA", "5.1x NA", 9, "mean_latency_ms: not a number: '5.1x'"),
                Arguments.of("missing field", "0 5.1 NA", "0 5.1", 9, "expected 7 fields"),
                Arguments.of("other version", "profile 1", "profile 2", 2, "unsupported profile version '2'"),
                Arguments.of("wrong column", "mean_latency_ms", "mean_ms", 7, "columns must be exactly"),
                Arguments.of("text after end", "end\n", "end\nmore\n", 13, "unexpected text after 'end': 'more'"),
                Arguments.of("duty without share", "100 1 1 0 0 5.1", "100 1 1 0 1 5.1", 9,
                        "training duty must be 0 when there is no training share"),
                Arguments.of("not a profile", "gpucolo-latency-profile 1", "hello", 2, "not a gpucolo latency profile"),
                Arguments.of("header out of order", "gpu A100-80GB\nmodel toy", "model toy\ngpu A100-80GB", 3,
                        "expected 'gpu VALUE', got 'model toy'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void badFileIsRefusedWithFileAndLine(String name, String from, String to, int line, String message) {
        String text = GOOD.replace(from, to);
        assertTrue(!text.equals(GOOD), "edit did not apply: " + from);
        ProfileFormatException e = assertThrows(ProfileFormatException.class, () -> parse(text));
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith("p.profile:" + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void emptyAndMissingFilesAreRefused() {
        ProfileFormatException empty = assertThrows(ProfileFormatException.class, () -> parse(""));
        assertEquals("p.profile:0: truncated: missing the first line 'gpucolo-latency-profile 1'", empty.getMessage());
        ProfileFormatException missing = assertThrows(ProfileFormatException.class,
                () -> ProfileFormat.read(dir.resolve("nope.profile")));
        assertEquals(dir.resolve("nope.profile") + ":0: no such file", missing.getMessage());
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] bytes = GOOD.replace("unit test", "unit \u00e9").getBytes(StandardCharsets.ISO_8859_1);
        ProfileFormatException e = assertThrows(ProfileFormatException.class,
                () -> ProfileFormat.read("p.profile", new ByteArrayInputStream(bytes)));
        assertEquals("p.profile:5: not valid UTF-8 text", e.getMessage());
    }

    @Test
    void aProfileWithOnlyTrainingPointsIsRefused() {
        String text = GOOD.replace("rows 2", "rows 1").replace("100 1 1 0 0 5.1 NA\n", "");
        ProfileFormatException e = assertThrows(ProfileFormatException.class, () -> parse(text));
        assertTrue(e.getMessage().contains("has no measurement without training"), e.getMessage());
    }

    @Test
    void numbersAreWrittenShort() {
        assertEquals(List.of("5.1", "100", "14.2857", "0"),
                List.of(ProfileFormat.num(5.1), ProfileFormat.num(100), ProfileFormat.num(100.0 / 7), ProfileFormat.num(0)));
    }
}
