package io.gpucolo.node.noded;

import io.gpucolo.node.law.LatencySample;

/** What a GPU's control loop reports each period (metrics, benchmark traces). The laws never see this. */
public interface ControlTelemetry {
    /**
     * One inner period.
     *
     * @param sample    what the sensors saw, or null when a sensor was unavailable
     * @param duty      the duty cycle applied for the next period
     * @param share     the training MPS share in force
     * @param action    what the loop did beyond the inner step: "" (nothing), "share", "fail-safe"
     */
    void period(int gpu, LatencySample sample, double duty, int share, String action);

    ControlTelemetry NONE = (gpu, sample, duty, share, action) -> { };
}
