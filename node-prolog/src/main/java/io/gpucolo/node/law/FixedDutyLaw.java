package io.gpucolo.node.law;

/**
 * No inner control: the duty cycle stays where it was set (1 = training runs freely). The "no control" and
 * "MPS share changes alone" baselines, and a static split.
 */
public final class FixedDutyLaw implements InnerLaw {
    private final double duty;

    public FixedDutyLaw(double duty) {
        if (!(duty >= 0 && duty <= 1)) {
            throw new IllegalArgumentException("duty must be in [0, 1], got " + duty);
        }
        this.duty = duty;
    }

    @Override
    public double update(LatencySample sample) {
        return duty;
    }

    @Override
    public double duty() {
        return duty;
    }

    @Override
    public double floor() {
        return duty;
    }
}
