package io.gpucolo.admission.cli;

import io.gpucolo.admission.forecast.ForecastReport;
import io.gpucolo.admission.latency.CalibratedLatencyModel;
import io.gpucolo.admission.latency.Interference;
import io.gpucolo.admission.latency.LatencyEstimate;
import io.gpucolo.admission.latency.LatencyProfile;
import io.gpucolo.admission.latency.ModelFitReport;
import io.gpucolo.admission.latency.ParvaGpuImport;
import io.gpucolo.admission.latency.ProfileFormat;
import io.gpucolo.admission.latency.ProfileFormatException;
import io.gpucolo.admission.model.ServiceLoad;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gpucolo model ...}: the latency model, its calibration profiles and the load forecaster. */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Latency model, calibration profiles and load forecast: fit and evaluation reports.",
        subcommands = {ModelCommand.Fit.class, ModelCommand.ForecastEval.class, ModelCommand.CheckProfile.class,
                ModelCommand.Predict.class, ModelCommand.ImportParvaGpu.class})
public final class ModelCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** Runs a command body; bad input (IllegalArgumentException) is one line on stderr and exit code 2. */
    static int guarded(CommandLine.Model.CommandSpec spec, Callable<Integer> body) throws Exception {
        try {
            return body.call();
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("gpucolo model " + spec.name() + ": " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 2;
        }
    }

    /** {@code --data DIR}: the shared data folder the reports read. */
    static final class DataOption {
        @Option(names = "--data", paramLabel = "DIR", defaultValue = "../shared/data",
                description = "shared data folder (default: ${DEFAULT-VALUE})")
        Path data;

        Path dir() {
            if (!Files.isDirectory(data)) {
                throw new IllegalArgumentException(data + ": no such data folder (give --data DIR, the shared data "
                        + "folder holding parvagpu-a100/, gavel/, servegen/, azure-llm-2023/)");
            }
            return data;
        }
    }

    /** {@code gpucolo model fit}: fit error of the latency model on the real measurements. */
    @Command(name = "fit", mixinStandardHelpOptions = true,
            description = "Print the latency model's fit error on ParvaGPU (held-out shares and batches) and Gavel "
                    + "(held-out pairs) as Markdown tables.")
    public static final class Fit implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        DataOption data;

        @Override
        public Integer call() throws Exception {
            return guarded(spec, this::body);
        }

        private Integer body() throws IOException {
            ModelFitReport.Summary s = ModelFitReport.run(data.dir());
            PrintWriter out = spec.commandLine().getOut();
            out.print(s.markdown());
            out.printf(Locale.ROOT, "model fit share-holdout MAPE %.1f%%, batch-holdout MAPE %.1f%%%n",
                    100 * s.pooledShare().mape(), 100 * s.pooledBatch().mape());
            out.flush();
            return 0;
        }
    }

    /** {@code gpucolo model forecast-eval}: how often and by how much real load exceeded the forecast. */
    @Command(name = "forecast-eval", mixinStandardHelpOptions = true,
            description = "Replay the ServeGen and Azure LLM traces through the load forecaster and print how often "
                    + "and by how much the real load exceeded the forecast.")
    public static final class ForecastEval implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        DataOption data;

        @Option(names = "--margin", paramLabel = "FRACTION", defaultValue = "0.2",
                description = "burst margin added to the forecast (default: ${DEFAULT-VALUE})")
        double margin;

        @Override
        public Integer call() throws Exception {
            return guarded(spec, this::body);
        }

        private Integer body() throws IOException {
            if (!(margin >= 0 && margin <= 10)) {
                throw new IllegalArgumentException("--margin must be in 0..10, got " + margin);
            }
            ForecastReport.Result r = ForecastReport.run(data.dir(), margin);
            PrintWriter out = spec.commandLine().getOut();
            out.print(r.markdown());
            int n = r.evaluations().stream().mapToInt(e -> e.forecasts()).sum();
            int over = r.evaluations().stream().mapToInt(e -> e.exceeded()).sum();
            out.printf(Locale.ROOT, "forecast exceeded %.2f%% of %d forecasts%n", 100.0 * over / n, n);
            out.flush();
            return 0;
        }
    }

    /** {@code gpucolo model check-profile FILE...}: validate calibration profile files. */
    @Command(name = "check-profile", mixinStandardHelpOptions = true,
            description = "Validate calibration profile files (format v1): exit 0 when all are valid, 2 otherwise "
                    + "with one FILE:LINE: message per bad file.")
    public static final class CheckProfile implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "profile files")
        List<Path> files;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            int bad = 0;
            List<LatencyProfile> good = new ArrayList<>();
            for (Path f : files) {
                try {
                    LatencyProfile p = ProfileFormat.read(f);
                    CalibratedLatencyModel.of(List.of(p));
                    good.add(p);
                    out.println(f + ": OK, " + p.modelName() + " on " + p.gpuModel() + ", " + p.rows().size() + " rows");
                } catch (ProfileFormatException e) {
                    out.println(e.getMessage());
                    bad++;
                } catch (IllegalArgumentException e) {
                    out.println(f + ":0: " + e.getMessage());
                    bad++;
                }
            }
            out.flush();
            return bad == 0 ? 0 : 2;
        }
    }

    /** {@code gpucolo model predict}: one prediction, for trying the model. */
    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = "Predict mean and p99 latency of a service (built-in profiles plus any --profile).")
    public static final class Predict implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--model", required = true, description = "profile name, e.g. resnet50") String model;
        @Option(names = "--gpu", defaultValue = "A100-80GB", description = "GPU model (default: ${DEFAULT-VALUE})")
        String gpu;
        @Option(names = "--rate", required = true, description = "requests per second") double rate;
        @Option(names = "--batch", defaultValue = "1", description = "largest batch (default: ${DEFAULT-VALUE})")
        int batch;
        @Option(names = "--share", defaultValue = "100", description = "inference MPS percent") int share;
        @Option(names = "--others", defaultValue = "0", description = "other inference processes") int others;
        @Option(names = "--training", defaultValue = "0", description = "training MPS percent") double training;
        @Option(names = "--duty", defaultValue = "1", description = "training duty cycle 0..1") double duty;
        @Option(names = "--profile", paramLabel = "FILE", description = "extra calibration profile, repeatable")
        List<Path> profiles = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            return guarded(spec, this::body);
        }

        private Integer body() {
            List<LatencyProfile> all = new ArrayList<>(CalibratedLatencyModel.builtInProfiles());
            for (Path p : profiles) {
                all.add(ProfileFormat.read(p));
            }
            CalibratedLatencyModel m = CalibratedLatencyModel.of(all);
            LatencyEstimate e = m.predict(model, gpu, new ServiceLoad(rate, batch), share,
                    new Interference(others, training, training == 0 ? 0 : duty));
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%s on %s at %.1f req/s, batch %d: mean %.3f ms, p99 %.3f ms%s%n", model, gpu,
                    rate, batch, e.meanMs(), e.p99Ms(), e.saturated() ? " (saturated)" : "");
            out.flush();
            return 0;
        }
    }

    /** {@code gpucolo model import-parvagpu}: convert ParvaGPU CSVs into profile files (how the built-ins were made). */
    @Command(name = "import-parvagpu", mixinStandardHelpOptions = true,
            description = "Convert ParvaGPU measurement CSVs into calibration profile files.")
    public static final class ImportParvaGpu implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder to write NAME.profile into")
        Path out;

        @Parameters(paramLabel = "CSV", arity = "1..*", description = "ParvaGPU files, e.g. parvagpu-a100/resnet50.csv")
        List<Path> csvs;

        @Override
        public Integer call() throws Exception {
            return guarded(spec, this::body);
        }

        private Integer body() throws IOException {
            Files.createDirectories(out);
            for (Path csv : csvs) {
                LatencyProfile p = ParvaGpuImport.read(csv);
                Path target = out.resolve(p.modelName() + ".profile");
                try (Writer w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
                    w.write("# Converted from " + csv.getFileName() + " (ParvaGPU, Lee et al., SC'24, MIT license).\n");
                    ProfileFormat.write(p, w);
                }
                spec.commandLine().getOut().println(target + ": " + p.rows().size() + " rows");
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
