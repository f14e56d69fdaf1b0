package io.gpucolo.node.law;

/**
 * The inner tier: decides the training duty cycle (the fraction of each control period training may run, in
 * [0, 1]) from the latency seen over the period that just ended. Pure: no clock, no I/O; time comes from the sample.
 * A law is fed one sample per period by the loop (or by the simulator); decorators window or trace it.
 */
public interface InnerLaw {
    /**
     * Feeds the sample of the period that just ended and returns the duty cycle for the next period. A sample with no
     * data ({@link LatencySample#hasData()} false) leaves the duty cycle unchanged.
     */
    double update(LatencySample sample);

    /** The duty cycle currently in force, in [0, 1]. */
    double duty();

    /** The lowest duty cycle this law will output; the outer tier reads "duty at its floor" as saturation. */
    double floor();

    /**
     * Whether the duty is held down because the load surged, not because the tail showed it had to be (no probe has
     * failed since): the outer tier does not read such periods as saturation. False for laws without a load rule.
     */
    default boolean loadHeld() {
        return false;
    }
}
