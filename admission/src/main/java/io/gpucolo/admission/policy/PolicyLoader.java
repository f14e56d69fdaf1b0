package io.gpucolo.admission.policy;

import io.gpucolo.admission.yaml.Diagnostics;
import io.gpucolo.admission.yaml.DocumentKind;
import io.gpucolo.admission.yaml.Problem;
import io.gpucolo.admission.yaml.YamlSource;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and validates a YAML policy file. Every problem is reported (not just the first), each as a
 * {@link Problem} at its line and column: YAML syntax, encoding and safety limits ({@link YamlSource}),
 * unknown keys with a suggestion, wrong types, out-of-range values, and contradictions between keys,
 * including an SLO below the service's solo latency from the injected {@link LatencyFloor}.
 */
public final class PolicyLoader {
    /** A policy file: at most 1 MiB, a mapping of sections. */
    public static final DocumentKind KIND = new DocumentKind("policy file", YamlSource.MAX_BYTES,
            "a mapping of sections (services:, limits:, ...)",
            "expected a mapping of sections (see etc/gpucolo.yaml.example)");
    private final LatencyFloor floor;

    public PolicyLoader(LatencyFloor floor) {
        this.floor = Objects.requireNonNull(floor, "floor");
    }

    /** Reads at most the policy file's size limit (plus one byte, to tell a bigger file) from {@code file}. */
    public LoadResult load(Path file) {
        Diagnostics diag = new Diagnostics(file.toString());
        byte[] bytes = YamlSource.read(file, diag, KIND);
        return bytes == null ? new LoadResult.Invalid(diag.problems()) : parse(file.toString(), bytes);
    }

    /** Validates the bytes of a policy file; {@code source} names it in problems. */
    public LoadResult parse(String source, byte[] bytes) {
        Diagnostics diag = new Diagnostics(source);
        org.yaml.snakeyaml.nodes.Node root = YamlSource.parse(bytes, diag, KIND);
        if (root == null && !diag.clean()) {
            return new LoadResult.Invalid(diag.problems());
        }
        Policy policy = new PolicyReader(diag, floor).read(root);
        if (policy == null || !diag.clean()) {
            return new LoadResult.Invalid(diag.problems());
        }
        return new LoadResult.Valid(new LoadedPolicy(policy, source, version(bytes)));
    }

    /**
     * Every key of the policy file that has a default, by dotted path, with the default as the example file
     * writes it (services have no defaults and are not listed).
     */
    static Map<String, String> documentedDefaults() {
        Diagnostics diag = new Diagnostics("(defaults)");
        new PolicyReader(diag, LatencyFloor.NONE).read(YamlSource.parse("{}".getBytes(), diag, KIND));
        return diag.defaults();
    }

    /** The first 12 hex digits of the SHA-256 of the file's bytes. */
    static String version(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

}
