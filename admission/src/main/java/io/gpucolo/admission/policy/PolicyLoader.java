package io.gpucolo.admission.policy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
    private final LatencyFloor floor;

    public PolicyLoader(LatencyFloor floor) {
        this.floor = Objects.requireNonNull(floor, "floor");
    }

    /** Reads at most {@link YamlSource#MAX_BYTES} (plus one, to tell a bigger file) from {@code file}. */
    public LoadResult load(Path file) {
        String name = file.toString();
        try {
            if (Files.isDirectory(file)) {
                return invalid(name, "is a directory, not a policy file");
            }
            long size = Files.size(file);
            if (size > YamlSource.MAX_BYTES) {
                return invalid(name, "file is " + size + " bytes; a policy file may be at most "
                        + YamlSource.MAX_BYTES + " bytes (1 MiB)");
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(YamlSource.MAX_BYTES + 1);
            }
            return parse(name, bytes);
        } catch (NoSuchFileException e) {
            return invalid(name, "no such file");
        } catch (AccessDeniedException e) {
            return invalid(name, "permission denied");
        } catch (IOException e) {
            return invalid(name, "cannot read: " + e.getMessage());
        }
    }

    /** Validates the bytes of a policy file; {@code source} names it in problems. */
    public LoadResult parse(String source, byte[] bytes) {
        Diagnostics diag = new Diagnostics(source);
        org.yaml.snakeyaml.nodes.Node root = YamlSource.parse(bytes, diag);
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
        new PolicyReader(diag, LatencyFloor.NONE).read(YamlSource.parse("{}".getBytes(), diag));
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

    private static LoadResult invalid(String file, String message) {
        return new LoadResult.Invalid(List.of(new Problem(file, 1, 1, message)));
    }
}
