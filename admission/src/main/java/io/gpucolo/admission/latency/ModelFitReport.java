package io.gpucolo.admission.latency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The fit-error report of {@code gpucolo model fit}: a Markdown table per data set, from the real data. */
public final class ModelFitReport {
    /** Pooled errors over every ParvaGPU model and the Gavel hold-out errors per GPU type. */
    public record Summary(List<ModelFit.Error> shareHoldOut, List<ModelFit.Error> batchHoldOut,
                          List<ModelFit.Error> inSample, List<ModelFit.Error> gavel,
                          List<ModelFit.QueuePoint> queue, String markdown) {
        public ModelFit.Error pooledShare() {
            return shareHoldOut.get(shareHoldOut.size() - 1);
        }

        public ModelFit.Error pooledBatch() {
            return batchHoldOut.get(batchHoldOut.size() - 1);
        }
    }

    private ModelFitReport() {
    }

    /** @param dataDir the shared data folder holding {@code parvagpu-a100/} and {@code gavel/} */
    public static Summary run(Path dataDir) throws IOException {
        Path parva = dataDir.resolve("parvagpu-a100");
        List<Path> csvs;
        try (Stream<Path> s = Files.list(parva)) {
            csvs = s.filter(p -> p.getFileName().toString().endsWith(".csv"))
                    .filter(p -> !p.getFileName().toString().startsWith("SLO_")).sorted().toList();
        }
        if (csvs.isEmpty()) {
            throw new IllegalArgumentException(parva + ": no ParvaGPU measurement files");
        }
        List<ModelFit.Error> share = new ArrayList<>();
        List<ModelFit.Error> batch = new ArrayList<>();
        List<ModelFit.Error> in = new ArrayList<>();
        List<List<Double>> allShare = new ArrayList<>();
        List<List<Double>> allBatch = new ArrayList<>();
        List<List<Double>> allIn = new ArrayList<>();
        StringBuilder md = new StringBuilder();
        md.append("| model | points | share hold-out MAPE | max | batch hold-out MAPE | max | in-sample MAPE | max |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Path csv : csvs) {
            LatencyProfile p = ParvaGpuImport.read(csv);
            List<Double> s = ModelFit.shareHoldOut(p);
            List<Double> b = ModelFit.batchHoldOut(p);
            List<Double> i = ModelFit.inSample(p);
            allShare.add(s);
            allBatch.add(b);
            allIn.add(i);
            row(md, p.modelName(), p.rows().size(), share.add(ModelFit.Error.of(p.modelName(), s)) ? share.get(share.size() - 1) : null,
                    batch.add(ModelFit.Error.of(p.modelName(), b)) ? batch.get(batch.size() - 1) : null,
                    in.add(ModelFit.Error.of(p.modelName(), i)) ? in.get(in.size() - 1) : null);
        }
        share.add(ModelFit.Error.pooled("all", allShare));
        batch.add(ModelFit.Error.pooled("all", allBatch));
        in.add(ModelFit.Error.pooled("all", allIn));
        row(md, "**all**", allIn.stream().mapToInt(List::size).sum(), share.get(share.size() - 1),
                batch.get(batch.size() - 1), in.get(in.size() - 1));
        List<GavelPairs.Pair> pairs = GavelPairs.read(dataDir.resolve("gavel").resolve("simulation_throughputs.json"));
        List<ModelFit.Error> gavel = new ArrayList<>();
        md.append("\n| Gavel GPU | pairs | median slowdown (all pairs) | hold-out MAPE of a constant slowdown | max |\n");
        md.append("|---|---:|---:|---:|---:|\n");
        for (String gpu : List.of("v100", "p100", "k80")) {
            ModelFit.Error e = ModelFit.Error.of(gpu, ModelFit.gavelHoldOut(pairs, gpu));
            gavel.add(e);
            long n = pairs.stream().filter(p -> p.gpu().equals(gpu)).count();
            md.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %.1f%% | %.1f%% |%n", gpu, n,
                    GavelPairs.medianSlowdown(pairs, gpu), 100 * e.mape(), 100 * e.maxApe()));
        }
        List<ModelFit.QueuePoint> queue = ModelFit.queueVsSimulation(CalibratedLatencyModel.builtIn(),
                QUEUE_MODELS, 1);
        md.append("\n| queue law vs simulation (p99) | points | MAPE | most under | most over |\n");
        md.append("|---|---:|---:|---:|---:|\n");
        for (String m : QUEUE_MODELS) {
            queueRow(md, m, queue.stream().filter(q -> q.model().equals(m)).toList());
        }
        queueRow(md, "**all**", queue);
        return new Summary(List.copyOf(share), List.copyOf(batch), List.copyOf(in), List.copyOf(gavel), queue,
                md.toString());
    }

    static final List<String> QUEUE_MODELS = List.of("resnet50", "bert", "vgg16", "mobilenetv2", "densenet121");

    private static void queueRow(StringBuilder md, String name, List<ModelFit.QueuePoint> points) {
        double sum = 0;
        double under = 0;
        double over = 0;
        for (ModelFit.QueuePoint q : points) {
            sum += Math.abs(q.error());
            under = Math.min(under, q.error());
            over = Math.max(over, q.error());
        }
        md.append(String.format(Locale.ROOT, "| %s | %d | %.1f%% | %.1f%% | %+.1f%% |%n", name, points.size(),
                100 * sum / points.size(), 100 * under, 100 * over));
    }

    private static void row(StringBuilder md, String name, int points, ModelFit.Error s, ModelFit.Error b,
                            ModelFit.Error i) {
        md.append(String.format(Locale.ROOT, "| %s | %d | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% |%n",
                name, points, 100 * s.mape(), 100 * s.maxApe(), 100 * b.mape(), 100 * b.maxApe(),
                100 * i.mape(), 100 * i.maxApe()));
    }
}
