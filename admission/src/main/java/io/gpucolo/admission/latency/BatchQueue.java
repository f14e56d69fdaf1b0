package io.gpucolo.admission.latency;

/**
 * Queueing law of an inference server with dynamic batching: whenever the GPU is free the server takes up to
 * {@code B} waiting requests as one batch. Requests arrive as a Poisson stream of rate {@code lambda} per ms; a
 * batch of {@code x} requests takes {@code S(x)} ms, deterministic and non-decreasing in {@code x}.
 *
 * <p>Equations ({@code x_e} and {@code S_e = S(x_e)} come from {@link ServiceTimeTable#effectiveBatch}):
 * <pre>
 *   rho  = lambda S(B) / B                          load at the largest batch (rho >= 1: unstable, +Infinity)
 *   x_e  = min { x in [1, B] : x >= lambda S(x) }   effective batch: what arrives during one batch
 *   u    = min(1, lambda S_e / x_e)                 busy fraction of the server
 *   Wq   = rho S(B) / (2 B (1 - rho))               mean backlog drain time (diffusion, M/D/1 at B = 1)
 *   mean = S_e + max(u S_e / 2, Wq)
 *   m    = lambda S'(x_e)                          arrivals caused by one more request in a batch
 *   x_m  = lambda S_e                              mean arrivals during one batch
 *   x_hi = B if m >= 1, else min(B, max(x_e, x_m + 2 sqrt(x_m / (1 - m^2))))   a high batch size
 *   S_hi = S(x_hi)
 *   R99  = S_hi (1 - 0.01 / u)  if u > 0.01, else 0              p99 wait for the batch in progress
 *   W99  = (S(B) / B) rho / (2 (1 - rho)) ln(rho / 0.01)  if rho > 0.01, else 0   p99 backlog drain
 *   p99  = max(mean, S_hi + R99 + W99)
 * </pre>
 * Batch sizes fluctuate: the next batch is the arrivals during this one, Poisson with mean {@code lambda S(x)}.
 * Linearised at {@code x_e} this is a branching process with immigration whose stationary variance is
 * {@code x_m / (1 - m^2)}; {@code x_hi} is two standard deviations above the mean, and a request's p99 is taken
 * as waiting out one such batch and then being served in another.
 * {@code W99} is the diffusion (heavy-traffic) tail of the request backlog {@code P(Q > q) = exp(-2 (mu - lambda)
 * q / lambda)}, {@code mu = B / S(B)}, drained at rate {@code mu}: Poisson arrivals, deterministic service. At
 * {@code B = 1} the mean is exactly the M/D/1 sojourn time {@code S + rho S / (2 (1 - rho))}. At
 * {@code lambda = 0} mean and p99 are {@code S(1)}.
 *
 * <p>Operating range: any {@code lambda >= 0}; against a seeded simulation of this very system
 * ({@link BatchQueueSimulation}, reported by {@code gpucolo model fit}) the p99 is within about -15%..+35% for
 * {@code rho <= 0.9}; at {@code rho = 0.95} it can be 30% low.
 */
final class BatchQueue {
    private BatchQueue() {
    }

    /**
     * @param lambdaPerMs arrival rate, requests per millisecond
     * @param maxBatch    largest batch {@code B} the server forms
     * @param sOne        {@code S(1)}, ms
     * @param sMax        {@code S(B)}, ms
     * @param xe          effective batch {@code x_e}
     * @param se          {@code S(x_e)}, ms
     * @param sHigh       {@code S(x_hi)}, ms (see {@link #highBatch})
     */
    static LatencyEstimate estimate(double lambdaPerMs, int maxBatch, double sOne, double sMax, double xe,
                                    double se, double sHigh) {
        if (lambdaPerMs == 0) {
            return new LatencyEstimate(sOne, sOne);
        }
        double rho = lambdaPerMs * sMax / maxBatch;
        if (rho >= 1) {
            return new LatencyEstimate(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        }
        double u = Math.min(1, lambdaPerMs * se / xe);
        double perRequest = sMax / maxBatch;
        double wq = rho * perRequest / (2 * (1 - rho));
        double mean = se + Math.max(u * se / 2, wq);
        double r99 = u > 0.01 ? sHigh * (1 - 0.01 / u) : 0;
        double w99 = rho > 0.01 ? perRequest * rho / (2 * (1 - rho)) * Math.log(rho / 0.01) : 0;
        return new LatencyEstimate(mean, Math.max(mean, sHigh + r99 + w99));
    }

    /**
     * {@code x_hi = B if m >= 1, else min(B, max(x_e, x_m + 2 sqrt(x_m / (1 - m^2))))}.
     *
     * @param slopeMsPerRequest {@code S'(x_e)}, ms per request
     */
    static double highBatch(double lambdaPerMs, int maxBatch, double xe, double se, double slopeMsPerRequest) {
        double m = lambdaPerMs * slopeMsPerRequest;
        if (m >= 1) {
            return maxBatch;
        }
        double xm = lambdaPerMs * se;
        return Math.min(maxBatch, Math.max(xe, xm + 2 * Math.sqrt(xm / (1 - m * m))));
    }
}
