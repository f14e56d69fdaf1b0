package io.gpucolo.sim.synth;

/**
 * What to generate.
 *
 * @param scale             fraction of the full PAI 2020 trace (1.0: about 1.26 million task rows, 6,742 GPUs)
 * @param days              trace length in days (the real trace: 57)
 * @param seed              the random seed; the same spec always gives the same trace, byte for byte
 * @param inferenceFraction fraction of GPU tasks written as inference (the paper's inference:training 3:1 is 0.75)
 */
public record SynthSpec(double scale, int days, long seed, double inferenceFraction) {
    public static final int FULL_DAYS = 57;
    public static final long FULL_TASK_ROWS = 1_260_000;
    public static final int FULL_USERS = 1_350;

    public SynthSpec {
        if (!(scale > 0 && scale <= 10)) {
            throw new IllegalArgumentException("scale must be in (0, 10], got " + scale);
        }
        if (days < 1 || days > 3650) {
            throw new IllegalArgumentException("days must be in 1..3650, got " + days);
        }
        if (!(inferenceFraction >= 0 && inferenceFraction <= 1)) {
            throw new IllegalArgumentException("inference fraction must be in 0..1, got " + inferenceFraction);
        }
    }

    public static SynthSpec full(long seed) {
        return new SynthSpec(1.0, FULL_DAYS, seed, 0.75);
    }

    /** Task rows to write: the full trace's rows per day, times scale, times days. */
    public long taskRows() {
        return Math.max(1, Math.round(FULL_TASK_ROWS * scale * days / FULL_DAYS));
    }

    public int users() {
        return (int) Math.max(1, Math.round(FULL_USERS * scale));
    }
}
