package io.gpucolo.sim.plant;

import io.gpucolo.admission.latency.Interference;
import io.gpucolo.admission.latency.LatencyEstimate;
import io.gpucolo.admission.latency.LatencyModel;
import io.gpucolo.admission.model.ServiceLoad;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The simulated GPU: the admission core's calibrated {@link LatencyModel} (the same one admission plans with),
 * queried for each inference task from its load and what shares its GPU, behind a cache.
 *
 * <p>Each inference trace task is given a service profile (a model of the latency model, chosen by a seeded hash
 * of its job so that one job's pieces agree) and a nominal request rate: {@code rate = share/100 x rho x
 * capacity}, where {@code capacity = batch x 1000 / solo batch latency} is what the whole GPU serves and
 * {@code rho} the mean utilization of the reserved slice. Its SLOs are what it would see alone on its
 * requested slice ({@code inferencePercent = share}) at that rate, divided by the SLO factor (the paper's 0.96):
 * {@code SLO_p99 = p99(share, alone) / 0.96}, same for the mean.
 *
 * <p>Co-located latency is cached by a quantized key: rate in steps of 0.5% of capacity, training share in whole
 * percent, duty cycle in steps of 0.01, other inference processes capped at 15. The quantized values are the
 * ones passed to the model, so a cached answer is exactly the model's answer for that key.
 */
public final class GpuPlant {
    /** Latency reported when the model says the queue is unstable: far above every SLO, but finite for the laws. */
    public static final double SATURATED_MS = 1e6;

    private final LatencyModel model;
    private final String gpuModel;
    private final List<String> services;
    private final int batch;
    private final double rho;
    private final double sloFactor;
    private final long seed;
    private final double[] capacity;
    private final LongIntMap cache = new LongIntMap();
    private double[] mean = new double[1 << 12];
    private double[] p99 = new double[1 << 12];
    private int entries;
    private long calls;

    public GpuPlant(LatencyModel model, String gpuModel, List<String> services, int batch, double rho,
                    double sloFactor, long seed) {
        this.model = Objects.requireNonNull(model, "model");
        this.gpuModel = Objects.requireNonNull(gpuModel, "gpuModel");
        this.services = List.copyOf(services);
        if (services.isEmpty() || services.size() > 63) {
            throw new IllegalArgumentException("need 1..63 service profiles, got " + services.size());
        }
        for (String s : services) {
            if (!model.knows(s)) {
                throw new IllegalArgumentException("the latency model has no profile for '" + s + "'");
            }
        }
        if (!(rho > 0 && rho < 1) || !(sloFactor > 0 && sloFactor <= 1) || batch < 1) {
            throw new IllegalArgumentException("need 0 < rho < 1, 0 < SLO factor <= 1, batch >= 1");
        }
        this.batch = batch;
        this.rho = rho;
        this.sloFactor = sloFactor;
        this.seed = seed;
        capacity = new double[services.size()];
        for (int i = 0; i < capacity.length; i++) {
            capacity[i] = batch * 1000.0 / model.soloBatchLatencyMs(services.get(i), gpuModel, batch);
        }
    }

    public String gpuModel() {
        return gpuModel;
    }

    public List<String> services() {
        return services;
    }

    /** The service profile of a trace job: a seeded hash, so all pieces of a job serve the same model. */
    public int serviceOf(int job) {
        long h = (job + seed) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (int) Math.floorMod(h, (long) services.size());
    }

    /** Requests per second a whole GPU serves for this service (batch / solo batch time). */
    public double capacity(int service) {
        return capacity[service];
    }

    /** The quantized rate step (0.5% of capacity) closest to {@code share/100 x rho x factor}. */
    public int rateStep(int service, int share, double loadFactor) {
        return (int) Math.min(1023, Math.round(share / 100.0 * rho * loadFactor * 200));
    }

    /** Index of the cached (mean, p99) for a service alone on its slice at its nominal rate (its SLO basis). */
    public int slice(int service, int share) {
        return lookup(service, rateStep(service, share, 1.0), 0, 0, 100, share);
    }

    /** Index of the cached (mean, p99) at 100% inference share with this interference. */
    public int colocated(int service, int rateStep, int others, int trainingPercent, double duty) {
        return colocated(service, rateStep, others, trainingPercent, duty, 100);
    }

    /** The same with the inference process capped at {@code inferencePercent} (GSLICE-style slices). */
    public int colocated(int service, int rateStep, int others, int trainingPercent, double duty, int inferencePercent) {
        int dq = trainingPercent == 0 ? 0 : (int) Math.round(Math.max(0, Math.min(1, duty)) * 100);
        return lookup(service, rateStep, Math.min(15, others), Math.min(100, trainingPercent), dq, inferencePercent);
    }

    public double meanMs(int entry) {
        return mean[entry];
    }

    public double p99Ms(int entry) {
        return p99[entry];
    }

    /** The p99 SLO of a task, ms. */
    public double sloP99(int service, int share) {
        return p99[slice(service, share)] / sloFactor;
    }

    public double sloMean(int service, int share) {
        return mean[slice(service, share)] / sloFactor;
    }

    /** Latency model calls made (cache misses). */
    public long modelCalls() {
        return calls;
    }

    private int lookup(int service, int rq, int others, int trainPct, int dq, int infPct) {
        long key = ((long) service << 40) | ((long) rq << 30) | ((long) others << 24) | ((long) trainPct << 16)
                | ((long) dq << 8) | infPct;
        int e = cache.get(key);
        if (e >= 0) {
            return e;
        }
        calls++;
        double rate = rq / 200.0 * capacity[service];
        LatencyEstimate est = model.predict(services.get(service), gpuModel, new ServiceLoad(rate, batch), infPct,
                trainPct == 0 ? new Interference(others, 0, 0) : new Interference(others, trainPct, dq / 100.0));
        if (entries == mean.length) {
            mean = Arrays.copyOf(mean, entries * 2);
            p99 = Arrays.copyOf(p99, entries * 2);
        }
        mean[entries] = Math.min(SATURATED_MS, est.meanMs());
        p99[entries] = Math.min(SATURATED_MS, est.p99Ms());
        cache.put(key, entries);
        return entries++;
    }
}
