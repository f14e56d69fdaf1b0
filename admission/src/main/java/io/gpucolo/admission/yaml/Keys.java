package io.gpucolo.admission.yaml;

import java.util.Locale;
import java.util.Optional;

/** The configuration files' names for enum constants: lower case, '-' for '_' ({@code FIRST_FIT} is {@code first-fit}). */
public final class Keys {
    private Keys() {
    }

    public static String of(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static <E extends Enum<E>> Optional<E> parse(E[] values, String key) {
        for (E v : values) {
            if (of(v).equals(key)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
