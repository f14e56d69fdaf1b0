package io.gpucolo.admission.yaml;

import java.util.Objects;

/**
 * What kind of YAML file is being read, for the limits {@link YamlSource} enforces and the words its messages use.
 *
 * @param noun      what the file is called in messages, e.g. {@code policy file}
 * @param maxBytes  largest accepted file, in bytes (positive)
 * @param rootShape what the document must be, e.g. {@code a mapping of sections (services:, limits:, ...)}
 * @param emptyHint what an empty file should hold instead, e.g. {@code expected a mapping of ... (see etc/...)}
 */
public record DocumentKind(String noun, int maxBytes, String rootShape, String emptyHint) {
    public DocumentKind {
        Objects.requireNonNull(noun, "noun");
        Objects.requireNonNull(rootShape, "rootShape");
        Objects.requireNonNull(emptyHint, "emptyHint");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
    }

    /** The size limit as people read it: {@code 1048576 bytes (1 MiB)}. */
    String limitText() {
        return maxBytes + " bytes" + (maxBytes % (1 << 20) == 0 ? " (" + (maxBytes >> 20) + " MiB)"
                : maxBytes % 1024 == 0 ? " (" + (maxBytes >> 10) + " KiB)" : "");
    }
}
