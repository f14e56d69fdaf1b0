package io.gpucolo.node.noded;

import io.gpucolo.admission.policy.PeriodScale;
import io.gpucolo.admission.policy.Policy;
import io.gpucolo.node.law.AdaptiveDutyLaw;
import io.gpucolo.node.law.SaturationShareLaw;
import java.time.Duration;
import java.util.Objects;

/**
 * The tuning of our two laws on one node: the inner {@link AdaptiveDutyLaw} and the outer {@link SaturationShareLaw}.
 * Built from the policy file's {@code controller:} and {@code limits:} sections ({@link #from}), or the laws' own
 * defaults when noded runs without a policy ({@link #defaults}); the two agree for an empty policy
 * ({@code LawTuningTest}).
 *
 * @param inner       the inner law's tuning
 * @param outerPeriod least time between two share changes (raised to 25 inner periods when shorter)
 * @param persist     inner periods of saturation (or room) before the outer tier acts
 * @param shareGain   share points per unit of slack error
 * @param deadBand    smallest share change made, points
 * @param roomSlack   slack at full duty that counts as unused room
 * @param minShare    lowest training share the outer tier sets, percent
 * @param maxShare    highest training share the outer tier sets, percent
 */
public record LawTuning(AdaptiveDutyLaw.Config inner, Duration outerPeriod, int persist, double shareGain, double deadBand,
                        double roomSlack, int minShare, int maxShare) {
    public LawTuning {
        Objects.requireNonNull(inner, "inner");
        Objects.requireNonNull(outerPeriod, "outerPeriod");
        // the outer law's own checks, on the tightest case it will be built for (share at its bounds)
        outerConfig(inner, outerPeriod.dividedBy(25), outerPeriod, persist, shareGain, deadBand, roomSlack, minShare, maxShare,
                minShare);
    }

    /**
     * noded's default inner period. At 500 ms the cut after a burst onset comes within half a 1-s judge window
     * (docs/BENCHMARKS.md, "The step's own window"); the policy's {@code inner_period_ms} default is the same.
     */
    public static final Duration PERIOD = Duration.ofMillis(500);

    /** The laws' own defaults at noded's default {@link #PERIOD}. */
    public static LawTuning defaults() {
        return defaultsFor(PERIOD);
    }

    /**
     * The laws' own defaults, which are counted in 1-s periods (give back after 3 s, probe again after at most 60 s,
     * 0.1 duty a second, the outer tier's 10-s run), for a loop at {@code period}: the same times ({@link #rescaled}).
     * The duty floor is 0 (a renewed lease can hold training paused through a burst).
     */
    public static LawTuning defaultsFor(Duration period) {
        SaturationShareLaw.Config d = SaturationShareLaw.Config.defaults(100);
        return new LawTuning(AdaptiveDutyLaw.Config.defaults().withFloor(0), d.period(), d.persist(), d.kp(),
                d.deadband(), d.roomSlack(), d.minShare(), d.maxShare()).rescaled(Duration.ofSeconds(1), period);
    }

    /**
     * The same tuning for a loop at another inner period, keeping its times ({@link PeriodScale}): counted in periods,
     * it was meant for periods of {@code from}; at periods of {@code to} the waits and the outer tier's run, the
     * give-back step and the RLS forgetting factor are moved alike. The surge rule and the slack target are per window and stay. For example the
     * defaults (1 s: give back after 3 s, probe again after at most 60 s, 0.1 duty per second) at 500 ms.
     */
    public LawTuning rescaled(Duration from, Duration to) {
        PeriodScale scale = PeriodScale.between(from, to);
        AdaptiveDutyLaw.Config c = inner;
        int raiseAfter = scale.count(c.raiseAfter(), 1);
        AdaptiveDutyLaw.Config scaled = new AdaptiveDutyLaw.Config(c.slackTarget(), c.floor(), c.initialDuty(), c.initialGain(),
                c.gainMin(), c.gainMax(), scale.forgetting(c.forgetting()), scale.step(c.raiseStep()), raiseAfter,
                scale.count(c.maxWait(), raiseAfter), c.surgeRatio(), c.surgeZ());
        return new LawTuning(scaled, outerPeriod, scale.count(persist, 1), shareGain, deadBand, roomSlack, minShare, maxShare);
    }

    /** From a policy: its controller section, and the training share bounds of its limits. */
    public static LawTuning from(Policy.Controller c, Policy.Limits limits) {
        AdaptiveDutyLaw.Config inner = new AdaptiveDutyLaw.Config(c.slackTarget(), c.dutyCycleMin(), 1.0, c.gain(),
                c.gainMin(), c.gainMax(), c.forgetting(), c.raiseStep(), c.raiseAfterPeriods(), c.maxWaitPeriods(),
                c.surgeRatio(), c.surgeSigmas());
        return new LawTuning(inner, c.outerPeriod(), c.outerTriggerPeriods(), c.shareGain(), c.shareDeadBandPercent(),
                c.roomSlack(), limits.trainingShareMinPercent(), limits.trainingShareMaxPercent());
    }

    /** The outer law for a loop with inner {@code period} whose training runs at {@code share} now. */
    SaturationShareLaw outer(Duration period, int share) {
        return new SaturationShareLaw(outerConfig(inner, period, outerPeriod, persist, shareGain, deadBand, roomSlack,
                Math.min(minShare, share), Math.max(maxShare, share), share));
    }

    private static SaturationShareLaw.Config outerConfig(AdaptiveDutyLaw.Config inner, Duration period, Duration outerPeriod,
                                                         int persist, double shareGain, double deadBand, double roomSlack,
                                                         int minShare, int maxShare, int share) {
        Duration least = period.multipliedBy(25);
        return new SaturationShareLaw.Config(period, outerPeriod.compareTo(least) < 0 ? least : outerPeriod, persist,
                shareGain, deadBand, inner.slackTarget(), roomSlack, inner.floor(), minShare, maxShare, share);
    }
}
