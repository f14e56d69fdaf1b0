package io.gpucolo.node.noded;

import io.gpucolo.node.law.AdaptiveDutyLaw;
import io.gpucolo.node.law.InnerLaw;
import io.gpucolo.node.law.OuterLaw;
import io.gpucolo.node.law.PaperInnerLaw;
import io.gpucolo.node.law.PaperOuterLaw;
import io.gpucolo.node.law.WindowedInnerLaw;
import java.time.Duration;
import java.time.Instant;

/** Which control laws a GPU's loop runs: ours (the default) or the published GPUColo laws (for comparison). */
public enum Laws {
    OURS, PAPER;

    /** The pair of laws for one GPU, built fresh (laws hold state). */
    public record Pair(InnerLaw inner, OuterLaw outer) {
    }

    /**
     * @param period       the loop's inner period
     * @param share        the training job's MPS share now
     * @param sloMs        the tightest SLO on the GPU (the paper's set point L_ref on mean latency)
     * @param start        the loop's start time (the paper's 4 s window is counted from here)
     */
    public Pair create(Duration period, int share, double sloMs, Instant start) {
        return create(period, LawTuning.defaultsFor(period), share, sloMs, start);
    }

    /** As {@link #create(Duration, int, double, Instant)}, with our laws tuned by {@code tuning} (the policy's). */
    public Pair create(Duration period, LawTuning tuning, int share, double sloMs, Instant start) {
        if (this == PAPER) {
            // slopes from the paper's RTX 3090 measurements: sleep 0.2 -> 0.8 s cut latency 6.7 -> 5.5 ms, i.e.
            // m = -2 ms/s; MPS 80% -> 20% cut it 15.1 -> 5.6 ms, i.e. a = 0.158 ms per point.
            PaperInnerLaw inner = new PaperInnerLaw(new PaperInnerLaw.Config(sloMs, -2.0, 0.5, 1.0, 0));
            return new Pair(new WindowedInnerLaw(inner, Duration.ofSeconds(4), start),
                    new PaperOuterLaw(new PaperOuterLaw.Config(sloMs, 0.158, Duration.ofSeconds(100), 2, share)));
        }
        return new Pair(new AdaptiveDutyLaw(tuning.inner()), tuning.outer(period, share));
    }
}
