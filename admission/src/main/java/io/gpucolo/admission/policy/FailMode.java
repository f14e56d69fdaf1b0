package io.gpucolo.admission.policy;

import java.util.Optional;

/** What happens when a component is down or slower than its deadline. */
public enum FailMode {
    /** Let work go on without the component (admitd: the job goes, unmodified, to the dedicated partition). */
    OPEN("open"),
    /** Refuse the work the component would have decided (admitd: the job is rejected with a message). */
    CLOSED("closed");

    private final String key;

    FailMode(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static Optional<FailMode> fromKey(String key) {
        for (FailMode m : values()) {
            if (m.key.equals(key)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
