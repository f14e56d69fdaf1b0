package io.gpucolo.node.law;

import java.time.Duration;
import java.time.Instant;

/**
 * Our outer tier: moves the training MPS share only when the inner tier cannot do its job alone.
 * Each inner period is classified:
 * <ul>
 *   <li><b>saturated</b>: the inner duty is at its floor (training already throttled as far as the inner tier goes);
 *   <li><b>room</b>: the duty is 1 and the tightest slack is at least {@code roomSlack} (training could get more);
 *   <li>otherwise the inner tier is in control and the run counters reset.
 * </ul>
 * At most once per {@code period} (≥ 25 inner periods; time read from the samples), after a run of at least
 * {@code persist} saturated (or room) periods:
 * <pre>
 *   Δ = kp · (mean slack over the run − slackTarget)      (share points)
 *   saturated: Δ ← min(Δ, 0);  room: Δ ← max(Δ, 0)
 *   if |Δ| ≥ deadband:  p ← clamp(round(p + Δ), minShare, maxShare)
 * </pre>
 * With an inner floor of 0 (training paused at saturation, as noded runs it) the slack says nothing of the share:
 * a saturated run whose mean slack is at least {@code slackTarget} means training is starved while inference has
 * room, i.e. every probe of the inner tier hurt the tail: the share is halved ({@code Δ = −p/2}), so each iteration
 * interferes about half as much; a saturated run short of slack with training paused is not the training's doing
 * (the share is left alone, no restart).
 * A period in which the inner tier holds training at the floor for a load surge ({@link InnerLaw#loadHeld()}: no
 * probe has failed) is neither: the share is not the problem there (nothing was tried at the new load), and a restart
 * in a burst only costs training its checkpoint and restart, next to an inference service at its peak.
 * A change of share resets the runs (the plant changed; the inner tier settles again before the next decision).
 * Operating range: kp in (0, 500] points per unit slack, deadband ≥ 0 points, 1 ≤ minShare ≤ maxShare ≤ 100.
 */
public final class SaturationShareLaw implements OuterLaw {
    /**
     * Tuning.
     *
     * @param innerPeriod the inner tier's period (to check the outer period is at least 25 of them)
     * @param period      the least time between two share changes
     * @param persist     inner periods in a row that count as "long enough" (≥ 1)
     * @param kp          share points per unit of slack error
     * @param deadband    smallest change made, share points
     * @param slackTarget the inner tier's slack target
     * @param roomSlack   slack at full duty that counts as unused room (≥ slackTarget)
     * @param dutyFloor   the inner tier's floor
     */
    public record Config(Duration innerPeriod, Duration period, int persist, double kp, double deadband,
                         double slackTarget, double roomSlack, double dutyFloor, int minShare, int maxShare,
                         int initialShare) {
        public Config {
            if (innerPeriod.isNegative() || innerPeriod.isZero()) {
                throw new IllegalArgumentException("inner period must be positive, got " + innerPeriod);
            }
            if (period.compareTo(innerPeriod.multipliedBy(25)) < 0) {
                throw new IllegalArgumentException("outer period " + period + " must be at least 25 inner periods ("
                        + innerPeriod.multipliedBy(25) + ")");
            }
            if (persist < 1) {
                throw new IllegalArgumentException("persist must be >= 1 inner period, got " + persist);
            }
            if (!(kp > 0 && kp <= 500) || !(deadband >= 0)) {
                throw new IllegalArgumentException("need 0 < kp <= 500 and deadband >= 0, got kp=" + kp + " deadband=" + deadband);
            }
            if (!(roomSlack >= slackTarget)) {
                throw new IllegalArgumentException("room slack " + roomSlack + " must be >= slack target " + slackTarget);
            }
            if (minShare < 1 || maxShare > 100 || minShare > maxShare || initialShare < minShare || initialShare > maxShare) {
                throw new IllegalArgumentException("need 1 <= min <= initial <= max <= 100, got " + minShare + ", "
                        + initialShare + ", " + maxShare);
            }
        }

        /** Defaults for a 1 s inner period: 25 s period, 10 periods persist, kp 100, 2-point dead-band. */
        public static Config defaults(int initialShare) {
            return new Config(Duration.ofSeconds(1), Duration.ofSeconds(25), 10, 100, 2, 0.10, 0.30, 0.05, 5, 100,
                    initialShare);
        }
    }

    private static final double EPS = 1e-9;
    private final Config config;
    private int share;
    private Instant lastChange;
    private int saturatedRun;
    private int roomRun;
    private double runSlackSum;

    public SaturationShareLaw(Config config) {
        this.config = config;
        this.share = config.initialShare();
    }

    @Override
    public int update(LatencySample sample, double innerDuty) {
        return update(sample, innerDuty, false);
    }

    @Override
    public int update(LatencySample sample, double innerDuty, boolean innerLoadHeld) {
        if (lastChange == null) {
            lastChange = sample.at();
        }
        double slack = sample.tightestSlack();
        if (Double.isNaN(slack)) {
            return share;
        }
        if (innerLoadHeld) {
            resetRuns();
        } else {
            classify(slack, innerDuty);
        }
        if (Duration.between(lastChange, sample.at()).compareTo(config.period()) < 0) {
            return share;
        }
        double delta = 0;
        if (saturatedRun >= config.persist() && config.dutyFloor() <= EPS) {
            delta = runSlackSum / saturatedRun >= config.slackTarget() ? -share / 2.0 : 0;
        } else if (saturatedRun >= config.persist()) {
            delta = Math.min(0, config.kp() * (runSlackSum / saturatedRun - config.slackTarget()));
        } else if (roomRun >= config.persist()) {
            delta = Math.max(0, config.kp() * (runSlackSum / roomRun - config.slackTarget()));
        }
        if (Math.abs(delta) < config.deadband() || delta == 0) {
            return share;
        }
        int next = (int) Math.max(config.minShare(), Math.min(config.maxShare(), Math.round(share + delta)));
        if (next != share) {
            share = next;
            lastChange = sample.at();
            resetRuns();
        }
        return share;
    }

    private void classify(double slack, double duty) {
        if (duty <= config.dutyFloor() + EPS) {
            if (saturatedRun == 0) {
                resetRuns();
            }
            saturatedRun++;
            runSlackSum += slack;
        } else if (duty >= 1 - EPS && slack >= config.roomSlack()) {
            if (roomRun == 0) {
                resetRuns();
            }
            roomRun++;
            runSlackSum += slack;
        } else {
            resetRuns();
        }
    }

    private void resetRuns() {
        saturatedRun = 0;
        roomRun = 0;
        runSlackSum = 0;
    }

    @Override
    public int share() {
        return share;
    }
}
