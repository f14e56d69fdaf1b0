package io.gpucolo.admission.policy;

import java.util.Optional;

/** The placement policies, chosen by name in the policy file ({@code placement.plugin}). */
public enum PlacementPlugin {
    /** Ours: admit training only within the forecast latency headroom of each inference GPU. */
    HEADROOM("headroom"),
    /** The paper's packer: first GPU whose free share and memory fit the request. */
    FIRST_FIT("first-fit"),
    /** No co-location: training goes to the dedicated partition. */
    DEDICATED("dedicated"),
    /** A fixed split ({@code placement.static_share_percent}) without control. */
    STATIC_SHARE("static-share");

    private final String key;

    PlacementPlugin(String key) {
        this.key = key;
    }

    /** The name used in the policy file. */
    public String key() {
        return key;
    }

    public static Optional<PlacementPlugin> fromKey(String key) {
        for (PlacementPlugin p : values()) {
            if (p.key.equals(key)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
