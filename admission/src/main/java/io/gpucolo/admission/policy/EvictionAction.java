package io.gpucolo.admission.policy;

import java.util.Optional;

/**
 * What may be done to a co-located training job when its GPU's headroom shrinks, in the order the policy
 * prefers ({@code eviction.order}).
 */
public enum EvictionAction {
    /** Leave it to the node controller: lower the duty cycle and MPS share. */
    THROTTLE("throttle"),
    /** Suspend the job (it keeps its memory; resumed when headroom returns). */
    SUSPEND("suspend"),
    /** Requeue the job; only for restartable jobs. */
    REQUEUE("requeue");

    private final String key;

    EvictionAction(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static Optional<EvictionAction> fromKey(String key) {
        for (EvictionAction a : values()) {
            if (a.key.equals(key)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
