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
 *   R99  = S_e (1 - 0.01 / u)  if u > 0.01, else 0               p99 wait for the batch in progress
 *   W99  = (S(B) / B) rho / (2 (1 - rho)) ln(rho / 0.01)  if rho > 0.01, else 0   p99 backlog drain
 *   p99  = max(mean, S_e + R99 + W99)
 * </pre>
 * {@code W99} is the diffusion (heavy-traffic) tail of the request backlog {@code P(Q > q) = exp(-2 (mu - lambda)
 * q / lambda)}, {@code mu = B / S(B)}, drained at rate {@code mu}: Poisson arrivals, deterministic service. At
 * {@code B = 1} the mean is exactly the M/D/1 sojourn time {@code S + rho S / (2 (1 - rho))}. At
 * {@code lambda = 0} mean and p99 are {@code S(1)}.
 *
 * <p>Operating range: any {@code lambda >= 0}; the heavy-traffic terms are accurate up to {@code rho} of about
 * 0.95 and conservative below (the residual and backlog waits are added for the p99).
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
     */
    static LatencyEstimate estimate(double lambdaPerMs, int maxBatch, double sOne, double sMax, double xe,
                                    double se) {
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
        double r99 = u > 0.01 ? se * (1 - 0.01 / u) : 0;
        double w99 = rho > 0.01 ? perRequest * rho / (2 * (1 - rho)) * Math.log(rho / 0.01) : 0;
        return new LatencyEstimate(mean, Math.max(mean, se + r99 + w99));
    }
}
