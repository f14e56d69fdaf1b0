package io.gpucolo.node.law;

/**
 * The outer tier: decides the training job's MPS active-thread percentage (1..100). Fed once per inner period with
 * the latency sample and the duty cycle the inner tier chose; it decides only at its own, much longer period (read
 * from the samples' timestamps) and returns the share in force. Pure: no clock, no I/O.
 */
public interface OuterLaw {
    /** Feeds one inner period's outcome; returns the MPS share (percent, 1..100) to apply from now on. */
    int update(LatencySample sample, double innerDuty);

    /**
     * As {@link #update(LatencySample, double)}, told whether the inner tier holds its duty for a load surge
     * ({@link InnerLaw#loadHeld()}); laws that do not care ignore it.
     */
    default int update(LatencySample sample, double innerDuty, boolean innerLoadHeld) {
        return update(sample, innerDuty);
    }

    /** The share currently in force, percent. */
    int share();
}
