package io.gpucolo.admission.policy;

import io.gpucolo.admission.yaml.Keys;
import java.util.Optional;

/**
 * What may be done to a co-located training job when its GPU's headroom shrinks, in the order the policy
 * prefers ({@code eviction.order}).
 */
public enum EvictionAction {
    /** Leave it to the node controller: lower the duty cycle and MPS share. */
    THROTTLE,
    /** Suspend the job (it keeps its memory; resumed when headroom returns). */
    SUSPEND,
    /** Requeue the job; only for restartable jobs. */
    REQUEUE;

    /** The name used in the policy file. */
    public String key() {
        return Keys.of(this);
    }

    public static Optional<EvictionAction> fromKey(String key) {
        return Keys.parse(values(), key);
    }
}
