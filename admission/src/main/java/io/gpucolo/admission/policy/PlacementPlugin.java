package io.gpucolo.admission.policy;

import io.gpucolo.admission.yaml.Keys;
import java.util.Optional;

/** The placement policies, chosen by name in the policy file ({@code placement.plugin}). */
public enum PlacementPlugin {
    /** Ours: admit training only within the forecast latency headroom of each inference GPU. */
    HEADROOM,
    /** The paper's packer: first GPU whose free share and memory fit the request. */
    FIRST_FIT,
    /** No co-location: training goes to the dedicated partition. */
    DEDICATED,
    /** A fixed split ({@code placement.static_share_percent}) without control. */
    STATIC_SHARE;

    /** The name used in the policy file. */
    public String key() {
        return Keys.of(this);
    }

    public static Optional<PlacementPlugin> fromKey(String key) {
        return Keys.parse(values(), key);
    }
}
