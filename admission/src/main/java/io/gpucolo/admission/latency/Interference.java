package io.gpucolo.admission.latency;

/**
 * What else runs on the GPU next to the inference service whose latency is predicted.
 *
 * @param otherInferenceProcesses number of other inference MPS clients on the GPU (0 = alone)
 * @param trainingSharePercent    sum of the MPS active-thread percentages of co-located training jobs (0 = none)
 * @param trainingDutyCycle       fraction of wall time the training jobs are allowed to run, 0..1 (1 = never put to sleep)
 */
public record Interference(int otherInferenceProcesses, double trainingSharePercent, double trainingDutyCycle) {
    public static final Interference NONE = new Interference(0, 0, 0);

    public Interference {
        if (otherInferenceProcesses < 0) {
            throw new IllegalArgumentException("otherInferenceProcesses must be >= 0, got " + otherInferenceProcesses);
        }
        if (!(trainingSharePercent >= 0) || trainingSharePercent > 10_000) {
            throw new IllegalArgumentException("trainingSharePercent must be in 0..10000, got " + trainingSharePercent);
        }
        if (!(trainingDutyCycle >= 0 && trainingDutyCycle <= 1)) {
            throw new IllegalArgumentException("trainingDutyCycle must be in 0..1, got " + trainingDutyCycle);
        }
    }
}
