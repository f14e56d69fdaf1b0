package io.gpucolo.admission.latency;

/**
 * One measured point of a calibration profile.
 *
 * @param inferenceSharePct  compute share the inference process ran with, percent of the whole GPU (0 < s <= 100):
 *                           an MPS active-thread percentage, or a MIG slice as GPCs/7 x 100
 * @param batch              batch size, requests per batch (1..4096)
 * @param inferenceProcs     inference processes running concurrently on that share, itself included (1..48)
 * @param trainingSharePct   MPS percentage of the co-running training load (0 = none, up to 100)
 * @param trainingDuty       fraction of time the training load ran, 0..1 (0 when there is no training)
 * @param meanLatencyMs      mean latency of one batch, milliseconds (&gt; 0)
 * @param p99LatencyMs       p99 latency of one batch, milliseconds, or NaN when not measured (then written {@code NA})
 */
public record ProfileRow(double inferenceSharePct, int batch, int inferenceProcs, double trainingSharePct,
                         double trainingDuty, double meanLatencyMs, double p99LatencyMs) {
    public ProfileRow {
        if (!(inferenceSharePct > 0 && inferenceSharePct <= 100)) {
            throw new IllegalArgumentException("inference share must be in (0, 100] percent, got " + inferenceSharePct);
        }
        if (batch < 1 || batch > 4096) {
            throw new IllegalArgumentException("batch must be in 1..4096, got " + batch);
        }
        if (inferenceProcs < 1 || inferenceProcs > 48) {
            throw new IllegalArgumentException("inference processes must be in 1..48, got " + inferenceProcs);
        }
        if (!(trainingSharePct >= 0 && trainingSharePct <= 100)) {
            throw new IllegalArgumentException("training share must be in [0, 100] percent, got " + trainingSharePct);
        }
        if (!(trainingDuty >= 0 && trainingDuty <= 1)) {
            throw new IllegalArgumentException("training duty must be in [0, 1], got " + trainingDuty);
        }
        if (trainingSharePct == 0 && trainingDuty != 0) {
            throw new IllegalArgumentException("training duty must be 0 when there is no training share, got "
                    + trainingDuty);
        }
        if (!(meanLatencyMs > 0) || Double.isInfinite(meanLatencyMs)) {
            throw new IllegalArgumentException("mean latency must be a positive finite number of ms, got "
                    + meanLatencyMs);
        }
        if (!Double.isNaN(p99LatencyMs) && (!(p99LatencyMs >= meanLatencyMs) || Double.isInfinite(p99LatencyMs))) {
            throw new IllegalArgumentException("p99 latency must be a finite number >= the mean " + meanLatencyMs
                    + " ms, got " + p99LatencyMs);
        }
    }

    /** True for a point with no training next to it. */
    public boolean withoutTraining() {
        return trainingSharePct == 0 || trainingDuty == 0;
    }
}
