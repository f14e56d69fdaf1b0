package io.gpucolo.sim.metrics;

/**
 * One policy's outcome on one workload.
 *
 * @param policy              policy name
 * @param avgGpus             time-average of GPUs open (bought) over the replay: the paper's "daily-average GPUs"
 * @param peakGpus            most GPUs open at once
 * @param gpusPerHour         average GPUs open in each hour of the replay
 * @param utilization         requested share allocated / capacity of the open GPUs, time-averaged (0..1)
 * @param trainingJobs        training task pieces finished
 * @param meanSlowdown        mean of (finish - arrival) / trace duration over training pieces
 * @param p50Slowdown         median slowdown; {@code p95Slowdown}, {@code p99Slowdown} likewise
 * @param meanQueueS          mean queueing delay of training pieces, seconds
 * @param maxQueueS           largest queueing delay, seconds
 * @param inferenceTasks      inference task pieces finished
 * @param jobTailViolation    fraction of inference pieces above their p99 SLO for more than 1% of their life
 * @param jobMeanViolation    the same for the mean-latency SLO
 * @param windowTailViolation fraction of inference time spent above the p99 SLO
 * @param windowMeanViolation fraction of inference time spent above the mean SLO
 * @param slowdowns           sorted slowdowns (for the CDF)
 * @param sampleTimesMs       per sample GPU, times of its latency points
 * @param sampleRatios        per sample GPU, worst p99/SLO at those times
 * @param events              events the engine processed (arrivals, ends, load steps, control steps)
 * @param controlSteps        control-law steps run
 * @param modelCalls          latency-model evaluations (cache misses)
 * @param wallSeconds         wall time of the run
 * @param originMs            virtual time of the first arrival; {@code endMs} of the last end
 */
public record RunResult(String policy, double avgGpus, int peakGpus, double[] gpusPerHour, double utilization,
                        int trainingJobs, double meanSlowdown, double p50Slowdown, double p95Slowdown,
                        double p99Slowdown, double meanQueueS, double maxQueueS, long inferenceTasks,
                        double jobTailViolation, double jobMeanViolation, double windowTailViolation,
                        double windowMeanViolation, float[] slowdowns, long[][] sampleTimesMs, float[][] sampleRatios,
                        long events, long controlSteps, long modelCalls, double wallSeconds, long originMs, long endMs) {
}
