package io.gpucolo.admission.policy;

import io.gpucolo.admission.yaml.Keys;
import java.util.Optional;

/** What happens when a component is down or slower than its deadline. */
public enum FailMode {
    /** Let work go on without the component (admitd: the job goes, unmodified, to the dedicated partition). */
    OPEN,
    /** Refuse the work the component would have decided (admitd: the job is rejected with a message). */
    CLOSED;

    /** The name used in the policy file. */
    public String key() {
        return Keys.of(this);
    }

    public static Optional<FailMode> fromKey(String key) {
        return Keys.parse(values(), key);
    }
}
