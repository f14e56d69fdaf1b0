package io.gpucolo.admission.latency;

import io.gpucolo.admission.model.ServiceLoad;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latency model: measured batch service times, a training-interference slowdown and a batching queue.
 *
 * <p>For a service of model {@code m} on GPU {@code g} with load (rate {@code lambda}, batch {@code B}), MPS share
 * {@code p}, {@code n} other inference processes, training share {@code T} percent at duty cycle {@code d}:
 * <pre>
 *   S(x)  = table_m,g(p, x, n + 1) * speed(g) / speed(profile GPU) * I
 *   I     = 1 + k d min(T, 100) / 100                  training interference slowdown
 *   mean, p99 = BatchQueue(lambda, B, S)                 dynamic-batching queue, see {@link BatchQueue}
 *   S'(x_e) = (S(1.05 x_e) - S(0.95 x_e)) / (0.1 x_e)    (clamped to [1, B]) for the batch-size spread
 * </pre>
 * {@code table} is {@link ServiceTimeTable} built from the profile; {@code speed} is {@link GpuSpeed} and only
 * used when no profile exists for {@code g} itself. {@code k} is fitted by least squares through the origin on
 * the profile's points with training ({@code S_meas / S_table - 1 = k d T / 100}); a profile without such points
 * uses {@link #GAVEL_K}, the median slowdown minus one of 636 pairs of training jobs space-shared on a V100
 * (Gavel). Operating range: that of the table and the queue; a share of training above 100% counts as 100%.
 * Immutable and thread-safe.
 */
public final class CalibratedLatencyModel implements LatencyModel {
    /** Median Gavel V100 pairwise slowdown (1.4738, 636 pairs) minus one; recomputed from the data by the tests. */
    public static final double GAVEL_K = 0.4738;
    static final String BUILT_IN_DIR = "/io/gpucolo/admission/latency/profiles/";

    private final Map<String, Map<String, Entry>> byModel;

    private record Entry(String gpu, ServiceTimeTable table, double k) {
    }

    /** Lookup cache (model name, GPU name) → resolved entry; a pure function of {@code byModel}. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Resolved>> resolved = new ConcurrentHashMap<>();
    private static final int MAX_CACHED = 256;

    private CalibratedLatencyModel(Map<String, Map<String, Entry>> byModel) {
        this.byModel = byModel;
    }

    /** A model from these profiles; a later profile for the same model and GPU replaces an earlier one. */
    public static CalibratedLatencyModel of(List<LatencyProfile> profiles) {
        Map<String, Map<String, Entry>> m = new HashMap<>();
        for (LatencyProfile p : profiles) {
            ServiceTimeTable table = ServiceTimeTable.of(p);
            m.computeIfAbsent(key(p.modelName()), x -> new HashMap<>())
                    .put(GpuSpeed.normalize(p.gpuModel()), new Entry(p.gpuModel(), table, fitK(p, table)));
        }
        Map<String, Map<String, Entry>> frozen = new HashMap<>();
        m.forEach((k, v) -> frozen.put(k, Map.copyOf(v)));
        return new CalibratedLatencyModel(Map.copyOf(frozen));
    }

    /** The built-in calibration: the ParvaGPU A100 profiles shipped as resources. */
    public static CalibratedLatencyModel builtIn() {
        return BuiltIn.MODEL;
    }

    /** The built-in profiles, for callers that add their own ({@link #of}). */
    public static List<LatencyProfile> builtInProfiles() {
        return BuiltIn.PROFILES;
    }

    private static final class BuiltIn {
        static final List<LatencyProfile> PROFILES = load();
        static final CalibratedLatencyModel MODEL = of(PROFILES);

        private static List<LatencyProfile> load() {
            List<LatencyProfile> out = new ArrayList<>();
            for (String name : resource("index").split("\\s+")) {
                if (!name.isBlank()) {
                    try (InputStream in = CalibratedLatencyModel.class.getResourceAsStream(BUILT_IN_DIR + name)) {
                        out.add(ProfileFormat.read("builtin:" + name, Objects.requireNonNull(in, name)));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
            return List.copyOf(out);
        }

        private static String resource(String name) {
            try (InputStream in = CalibratedLatencyModel.class.getResourceAsStream(BUILT_IN_DIR + name)) {
                return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static double fitK(LatencyProfile p, ServiceTimeTable table) {
        double sxy = 0;
        double sxx = 0;
        for (ProfileRow r : p.rows()) {
            if (r.withoutTraining()) {
                continue;
            }
            int share = Math.max(1, Math.min(100, (int) Math.round(r.inferenceSharePct())));
            double base = table.ms(share, r.batch(), r.inferenceProcs());
            double x = r.trainingDuty() * Math.min(100, r.trainingSharePct()) / 100;
            sxy += x * (r.meanLatencyMs() / base - 1);
            sxx += x * x;
        }
        return sxx == 0 ? GAVEL_K : Math.max(0, sxy / sxx);
    }

    private static String key(String modelName) {
        return modelName.toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean knows(String modelName) {
        return byModel.containsKey(key(modelName));
    }

    /** Model names with a profile, sorted. */
    public List<String> models() {
        return byModel.keySet().stream().sorted().toList();
    }

    /** The interference coefficient {@code k} used for this model on this GPU. */
    public double interferenceCoefficient(String modelName, String gpuModel) {
        return resolve(modelName, gpuModel).k;
    }

    @Override
    public LatencyEstimate predict(String modelName, String gpuModel, ServiceLoad load, int inferencePercent,
                                   Interference interference) {
        Objects.requireNonNull(load, "load");
        Objects.requireNonNull(interference, "interference");
        if (inferencePercent < 1 || inferencePercent > 100) {
            throw new IllegalArgumentException("inference MPS percent must be in 1..100, got " + inferencePercent);
        }
        Resolved r = resolve(modelName, gpuModel);
        double scale = r.scale * interferenceFactor(r.k, interference);
        int procs = 1 + interference.otherInferenceProcesses();
        double lambda = load.requestsPerSecond() / 1000;
        int b = load.batch();
        ServiceTimeTable t = r.table;
        double sOne = t.ms(inferencePercent, 1, procs) * scale;
        double sMax = t.ms(inferencePercent, b, procs) * scale;
        double xe = t.effectiveBatch(inferencePercent, procs, lambda * scale, b);
        double se = t.ms(inferencePercent, xe, procs) * scale;
        if (lambda == 0 || b == 1) {
            return BatchQueue.estimate(lambda, b, sOne, sMax, xe, se, se);
        }
        double lo = Math.max(1, xe * 0.95);
        double hi = Math.min(b, xe * 1.05);
        double slope = hi > lo ? (t.ms(inferencePercent, hi, procs) - t.ms(inferencePercent, lo, procs)) * scale
                / (hi - lo) : 0;
        double xHigh = BatchQueue.highBatch(lambda, b, xe, se, slope);
        double sHigh = xHigh == xe ? se : t.ms(inferencePercent, xHigh, procs) * scale;
        return BatchQueue.estimate(lambda, b, sOne, sMax, xe, se, sHigh);
    }

    /** {@code I = 1 + k d min(T, 100) / 100}. */
    static double interferenceFactor(double k, Interference i) {
        return 1 + k * i.trainingDutyCycle() * Math.min(100, i.trainingSharePercent()) / 100;
    }

    /** Mean service time of one batch, ms, before queueing. */
    public double batchServiceMs(String modelName, String gpuModel, double batch, int inferencePercent,
                                 Interference interference) {
        Resolved r = resolve(modelName, gpuModel);
        return r.table.ms(inferencePercent, batch, 1 + interference.otherInferenceProcesses()) * r.scale
                * interferenceFactor(r.k, interference);
    }

    @Override
    public double soloBatchLatencyMs(String modelName, String gpuModel, int batch) {
        Resolved r = resolve(modelName, gpuModel);
        return r.table.ms(100, batch, 1) * r.scale;
    }

    /** The profile, GPU scale and interference coefficient for a model on a GPU; cached, so O(1) after the first. */
    private Resolved resolve(String modelName, String gpuModel) {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(gpuModel, "gpuModel");
        Map<String, Resolved> byGpu = resolved.get(modelName);
        Resolved r = byGpu == null ? null : byGpu.get(gpuModel);
        if (r != null) {
            return r;
        }
        Entry e = entry(modelName, gpuModel);
        double scale = GpuSpeed.normalize(gpuModel).equals(GpuSpeed.normalize(e.gpu)) ? 1.0
                : GpuSpeed.latencyFactor(gpuModel) / GpuSpeed.latencyFactor(e.gpu);
        r = new Resolved(e.table, scale, e.k);
        if (resolved.size() < MAX_CACHED) {
            Map<String, Resolved> m = resolved.computeIfAbsent(modelName, x -> new ConcurrentHashMap<>());
            if (m.size() < MAX_CACHED) {
                m.put(gpuModel, r);
            }
        }
        return r;
    }

    private record Resolved(ServiceTimeTable table, double scale, double k) {
    }

    private Entry entry(String modelName, String gpuModel) {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(gpuModel, "gpuModel");
        Map<String, Entry> byGpu = byModel.get(key(modelName));
        if (byGpu == null) {
            throw new IllegalArgumentException("no latency profile for model '" + modelName + "' (known: "
                    + String.join(", ", models()) + ")");
        }
        Entry exact = byGpu.get(GpuSpeed.normalize(gpuModel));
        if (exact != null) {
            return exact;
        }
        Entry a100 = byGpu.values().stream().filter(x -> GpuSpeed.latencyFactor(x.gpu) == 1.0).findFirst().orElse(null);
        return a100 != null ? a100 : byGpu.values().stream().sorted((a, b) -> a.gpu.compareTo(b.gpu)).findFirst()
                .orElseThrow();
    }
}
