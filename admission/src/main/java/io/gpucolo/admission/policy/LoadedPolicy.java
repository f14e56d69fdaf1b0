package io.gpucolo.admission.policy;

import java.util.Objects;

/**
 * A policy accepted from a file, with where it came from and its version: the first 12 hex digits of the
 * SHA-256 of the file's bytes. The audit log records this version with every decision.
 */
public record LoadedPolicy(Policy policy, String source, String version) {
    public LoadedPolicy {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(version, "version");
    }

    /** The built-in defaults, as if loaded; version {@code defaults}. */
    public static LoadedPolicy builtIn() {
        return new LoadedPolicy(Policy.defaults(), "(built-in defaults)", "defaults");
    }
}
