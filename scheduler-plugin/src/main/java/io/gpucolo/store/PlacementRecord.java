package io.gpucolo.store;

import io.gpucolo.admission.model.Placement;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A placement as stored: when it started and, once over, when it ended. */
public record PlacementRecord(Placement placement, Instant started, Optional<Instant> ended) {
    public PlacementRecord {
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(ended, "ended");
    }

    public boolean active() {
        return ended.isEmpty();
    }
}
