package io.gpucolo.node.law;

/** No outer control: the training MPS share stays what the admission gave it. */
public final class FixedShareLaw implements OuterLaw {
    private final int share;

    public FixedShareLaw(int share) {
        if (share < 1 || share > 100) {
            throw new IllegalArgumentException("share must be in 1..100, got " + share);
        }
        this.share = share;
    }

    @Override
    public int update(LatencySample sample, double innerDuty) {
        return share;
    }

    @Override
    public int share() {
        return share;
    }
}
