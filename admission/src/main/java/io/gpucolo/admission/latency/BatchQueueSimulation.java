package io.gpucolo.admission.latency;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import java.util.random.RandomGenerator;

/**
 * A seeded discrete-event run of exactly the system {@link BatchQueue} approximates: Poisson arrivals of rate
 * {@code lambda}; whenever the server is free it takes every waiting request, up to {@code B}, as one batch, which
 * takes {@code S(x)} ms. Used to measure the queue law's approximation error ({@code gpucolo model fit}).
 */
public final class BatchQueueSimulation {
    private BatchQueueSimulation() {
    }

    /** @return the mean and p99 latency (arrival to batch completion), ms, of {@code requests} requests */
    public static LatencyEstimate run(double lambdaPerMs, int maxBatch, DoubleUnaryOperator serviceMs, int requests,
                                      RandomGenerator random) {
        if (!(lambdaPerMs > 0) || requests < 100) {
            throw new IllegalArgumentException("need a positive rate and at least 100 requests");
        }
        double[] arrival = new double[requests];
        double t = 0;
        for (int i = 0; i < requests; i++) {
            t += -Math.log(1 - random.nextDouble()) / lambdaPerMs;
            arrival[i] = t;
        }
        double[] latency = new double[requests];
        double free = 0;
        int i = 0;
        double sum = 0;
        while (i < requests) {
            double start = Math.max(free, arrival[i]);
            int j = i + 1;
            while (j < requests && j - i < maxBatch && arrival[j] <= start) {
                j++;
            }
            double finish = start + serviceMs.applyAsDouble(j - i);
            for (int k = i; k < j; k++) {
                latency[k] = finish - arrival[k];
                sum += latency[k];
            }
            free = finish;
            i = j;
        }
        Arrays.sort(latency);
        double mean = sum / requests;
        return new LatencyEstimate(mean, Math.max(mean, latency[(int) Math.ceil(0.99 * requests) - 1]));
    }
}
