package io.gpucolo.admission.latency;

import java.util.function.DoubleUnaryOperator;

/**
 * Queueing law of an inference server with dynamic batching: whenever the GPU is free the server takes up to
 * {@code B} waiting requests as one batch. Requests arrive as a Poisson stream of rate {@code lambda}; a batch
 * of {@code x} requests takes {@code S(x)} ms (deterministic).
 *
 * <p>Equations:
 * <pre>
 *   rho  = lambda S(B) / B                         utilisation at the largest batch (rho >= 1: unstable)
 *   x_e  = min { x in [1, B] : x >= lambda S(x) }   effective batch: the arrivals during one batch
 *   S_e  = S(x_e),  u = min(1, lambda S_e / x_e)   busy fraction of the server
 *   mean = S_e + u S_e / 2 + rho^2 S(B) / (2 (1 - rho))
 *   R99  = S_e (1 - 0.01 / u)               if u > 0.01, else 0   (p99 wait for the batch in progress)
 *   W99  = S(B) / (2 (1 - rho)) ln(rho / 0.01)   if rho > 0.01, else 0
 *   p99  = max(mean, S_e + max(R99, W99))
 * </pre>
 * At {@code x_e = B} the mean is exactly the M/D/1 sojourn time {@code S + rho S / (2 (1 - rho))} of batches;
 * {@code W99} is Kingman's heavy-traffic exponential tail {@code P(W > t) = rho exp(-2 (1 - rho) t / (S (c_a^2 +
 * c_s^2)))} with Poisson batch arrivals ({@code c_a^2 = 1}, conservative: full batches arrive as Erlang-B) and
 * deterministic service ({@code c_s^2 = 0}). At {@code lambda = 0} both are {@code S(1)}.
 *
 * <p>Operating range: any {@code lambda >= 0}; accurate for {@code rho} up to about 0.95 (heavy-traffic
 * approximation); {@code rho >= 1} returns +Infinity (saturated). {@code S} must be non-decreasing in the batch.
 */
final class BatchQueue {
    static final int BISECTION_STEPS = 24;

    private BatchQueue() {
    }

    /**
     * @param lambdaPerMs arrival rate, requests per millisecond
     * @param maxBatch    largest batch the server forms
     * @param serviceMs   batch service time in ms as a function of the batch size
     */
    static LatencyEstimate estimate(double lambdaPerMs, int maxBatch, DoubleUnaryOperator serviceMs) {
        double s1 = serviceMs.applyAsDouble(1);
        if (lambdaPerMs == 0) {
            return new LatencyEstimate(s1, s1);
        }
        double sb = serviceMs.applyAsDouble(maxBatch);
        double rho = lambdaPerMs * sb / maxBatch;
        if (rho >= 1) {
            return new LatencyEstimate(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        }
        double xe;
        if (1 >= lambdaPerMs * s1) {
            xe = 1;
        } else {
            double lo = 1;
            double hi = maxBatch;
            for (int i = 0; i < BISECTION_STEPS; i++) {
                double mid = 0.5 * (lo + hi);
                if (mid >= lambdaPerMs * serviceMs.applyAsDouble(mid)) {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            xe = hi;
        }
        double se = serviceMs.applyAsDouble(xe);
        double u = Math.min(1, lambdaPerMs * se / xe);
        double mean = se + u * se / 2 + rho * rho * sb / (2 * (1 - rho));
        double r99 = u > 0.01 ? se * (1 - 0.01 / u) : 0;
        double w99 = rho > 0.01 ? sb / (2 * (1 - rho)) * Math.log(rho / 0.01) : 0;
        double p99 = Math.max(mean, se + Math.max(r99, w99));
        return new LatencyEstimate(mean, p99);
    }
}
