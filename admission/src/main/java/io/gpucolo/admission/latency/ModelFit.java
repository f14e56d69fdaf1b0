package io.gpucolo.admission.latency;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Measures how well the latency model reproduces measurements it was not built from (absolute percentage error,
 * {@code APE = |predicted - measured| / measured}):
 * <ul>
 *   <li>share hold-out: each interior measured share (MIG 2, 3, 4 GPCs) is left out, the table is rebuilt from
 *       the rest and the left-out points are predicted at the share rounded to a whole percent;</li>
 *   <li>batch hold-out: every second interior batch (2, 8, 32, 128) is left out and predicted from the rest;</li>
 *   <li>in-sample: the full table against its own points (shows the cost of the monotone clean-up);</li>
 *   <li>Gavel hold-out: the interference slowdown {@code 1 + k} is fitted (median) on every second pair of a GPU
 *       type and predicted for the other half.</li>
 * </ul>
 */
public final class ModelFit {
    /** An error summary over {@code points} predictions. */
    public record Error(String what, int points, double mape, double maxApe) {
        public Error {
            Objects.requireNonNull(what, "what");
        }

        static Error of(String what, List<Double> apes) {
            double sum = 0;
            double max = 0;
            for (double a : apes) {
                sum += a;
                max = Math.max(max, a);
            }
            return new Error(what, apes.size(), apes.isEmpty() ? 0 : sum / apes.size(), max);
        }

        static Error pooled(String what, List<List<Double>> parts) {
            List<Double> all = new ArrayList<>();
            parts.forEach(all::addAll);
            return of(what, all);
        }
    }

    private ModelFit() {
    }

    public static List<Double> shareHoldOut(LatencyProfile p) {
        TreeSet<Double> shares = new TreeSet<>();
        p.rows().stream().filter(ProfileRow::withoutTraining).forEach(r -> shares.add(r.inferenceSharePct()));
        List<Double> apes = new ArrayList<>();
        for (double s : shares) {
            if (s == shares.first() || s == shares.last()) {
                continue;
            }
            apes.addAll(holdOut(p, r -> r.inferenceSharePct() == s));
        }
        return apes;
    }

    public static List<Double> batchHoldOut(LatencyProfile p) {
        List<Integer> batches = p.rows().stream().filter(ProfileRow::withoutTraining).map(ProfileRow::batch)
                .distinct().sorted().toList();
        TreeSet<Integer> held = new TreeSet<>();
        for (int i = 1; i < batches.size() - 1; i += 2) {
            held.add(batches.get(i));
        }
        return holdOut(p, r -> held.contains(r.batch()));
    }

    public static List<Double> inSample(LatencyProfile p) {
        ServiceTimeTable t = ServiceTimeTable.of(p);
        List<Double> apes = new ArrayList<>();
        for (ProfileRow r : p.rows()) {
            if (r.withoutTraining()) {
                apes.add(ape(t.ms(sharePercent(r), r.batch(), r.inferenceProcs()), r.meanLatencyMs()));
            }
        }
        return apes;
    }

    private static List<Double> holdOut(LatencyProfile p, Predicate<ProfileRow> held) {
        List<ProfileRow> kept = p.rows().stream().filter(held.negate()).toList();
        ServiceTimeTable t = ServiceTimeTable.of(new LatencyProfile(p.gpuModel(), p.modelName(), p.source(), kept));
        List<Double> apes = new ArrayList<>();
        for (ProfileRow r : p.rows()) {
            if (held.test(r) && r.withoutTraining()) {
                apes.add(ape(t.ms(sharePercent(r), r.batch(), r.inferenceProcs()), r.meanLatencyMs()));
            }
        }
        return apes;
    }

    /** Gavel hold-out on one GPU type: fit the median slowdown on even-numbered pairs, predict the odd ones. */
    public static List<Double> gavelHoldOut(List<GavelPairs.Pair> pairs, String gpu) {
        List<GavelPairs.Pair> sorted = pairs.stream().filter(p -> p.gpu().equals(gpu))
                .sorted(Comparator.comparing(GavelPairs.Pair::job).thenComparing(GavelPairs.Pair::other)).toList();
        List<GavelPairs.Pair> train = new ArrayList<>();
        List<GavelPairs.Pair> test = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            (i % 2 == 0 ? train : test).add(sorted.get(i));
        }
        double predicted = GavelPairs.medianSlowdown(train, gpu);
        List<Double> apes = new ArrayList<>();
        for (GavelPairs.Pair p : test) {
            apes.add(ape(predicted, p.slowdown()));
        }
        return apes;
    }

    /** A signed relative error of the queue law's p99 against the simulated one at one operating point. */
    public record QueuePoint(String model, int batch, double rho, double predictedP99Ms, double simulatedP99Ms) {
        public double error() {
            return predictedP99Ms / simulatedP99Ms - 1;
        }
    }

    /**
     * The queue law against {@link BatchQueueSimulation} of the same system (Poisson arrivals, dynamic batching,
     * the model's own service times) on a whole A100, for {@code rho = lambda S(B) / B} in 0.1..0.85.
     */
    public static List<QueuePoint> queueVsSimulation(CalibratedLatencyModel model, List<String> models, long seed) {
        List<QueuePoint> out = new ArrayList<>();
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (String m : models) {
            for (int b : new int[]{1, 4, 8, 32, 128}) {
                double sb = model.batchServiceMs(m, "A100", b, 100, Interference.NONE);
                for (double rho : new double[]{0.1, 0.3, 0.5, 0.7, 0.85}) {
                    double lambda = rho * b / sb;
                    double predicted = model.predict(m, "A100", new io.gpucolo.admission.model.ServiceLoad(
                            lambda * 1000, b), 100, Interference.NONE).p99Ms();
                    double simulated = BatchQueueSimulation.run(lambda, b,
                            x -> model.batchServiceMs(m, "A100", x, 100, Interference.NONE), 100_000, random.split())
                            .p99Ms();
                    out.add(new QueuePoint(m, b, rho, predicted, simulated));
                }
            }
        }
        return out;
    }

    static int sharePercent(ProfileRow r) {
        return Math.max(1, Math.min(100, (int) Math.round(r.inferenceSharePct())));
    }

    static double ape(double predicted, double measured) {
        return Math.abs(predicted - measured) / measured;
    }
}
