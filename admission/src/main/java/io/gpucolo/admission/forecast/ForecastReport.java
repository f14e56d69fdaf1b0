package io.gpucolo.admission.forecast;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The forecast evaluation of {@code gpucolo model forecast-eval} on the real traces: ServeGen 10-minute rates
 * (forecast horizon 10 min, warm-up 1 h, default parameters) and Azure LLM arrivals in 10 s buckets (horizon 10 s,
 * recent window 5 min, warm-up 5 min; one hour of data, so the seasonal term is empty).
 */
public final class ForecastReport {
    public static final Duration SERVEGEN_HORIZON = Duration.ofMinutes(10);
    public static final Duration AZURE_BUCKET = Duration.ofSeconds(10);

    /** The evaluations and their Markdown table. */
    public record Result(List<ForecastEvaluation> evaluations, String markdown) {
        public Result {
            evaluations = List.copyOf(evaluations);
        }
    }

    private ForecastReport() {
    }

    public static Result run(Path dataDir, double burstMargin) throws IOException {
        List<ForecastEvaluation> evals = new ArrayList<>();
        ForecastParams servegenParams = ForecastParams.defaults().withBurstMargin(burstMargin);
        Map<String, List<RateSample>> servegen =
                RateTraces.servegen(dataDir.resolve("servegen").resolve("servegen_total_rate_per_10min.csv"));
        for (var e : servegen.entrySet()) {
            evals.add(ForecastEvaluation.run("servegen/" + e.getKey(), e.getValue(),
                    new LoadForecaster(servegenParams), SERVEGEN_HORIZON, Duration.ofHours(1)));
        }
        ForecastParams azureParams = servegenParams.withRecentWindow(Duration.ofMinutes(5));
        for (String n : List.of("code", "conv")) {
            List<RateSample> s = RateTraces.azureArrivals(
                    dataDir.resolve("azure-llm-2023").resolve("AzureLLMInferenceTrace_" + n + ".csv"), AZURE_BUCKET);
            evals.add(ForecastEvaluation.run("azure-llm-2023/" + n, s, new LoadForecaster(azureParams),
                    AZURE_BUCKET, Duration.ofMinutes(5)));
        }
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "burst margin %.2f%n%n", burstMargin));
        md.append("| series | forecasts | exceeded | rate | mean excess | max excess | median over-provision |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|\n");
        int n = 0;
        int over = 0;
        for (ForecastEvaluation e : evals) {
            n += e.forecasts();
            over += e.exceeded();
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.1f%% | %.1f%% | %.1f%% | %.1f%% |%n", e.series(),
                    e.forecasts(), e.exceeded(), 100 * e.exceedanceRate(), 100 * e.meanExcess(),
                    100 * e.maxExcess(), 100 * e.medianHeadroom()));
        }
        md.append(String.format(Locale.ROOT, "| **all** | %d | %d | %.1f%% | | | |%n", n, over, 100.0 * over / n));
        return new Result(evals, md.toString());
    }
}
