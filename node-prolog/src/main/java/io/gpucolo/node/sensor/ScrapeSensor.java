package io.gpucolo.node.sensor;

import io.gpucolo.node.law.ServiceLatency;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Scrapes an inference server's Prometheus histogram over HTTP and gives the window since the previous scrape: p99
 * from the bucket deltas (interpolated as PromQL's {@code histogram_quantile}), mean from the {@code _sum} and
 * {@code _count} deltas. A counter reset (server restart) makes the window the counts since the restart.
 * The histogram's unit is taken from its name ({@code _seconds} → ×1000, {@code _us}/{@code _microseconds} → ×0.001,
 * otherwise milliseconds). Bounded: connect and whole-request timeouts, a body size cap; anything else than a 200 with
 * the named histogram is {@link SensorUnavailableException}. The first successful scrape only sets the baseline and
 * reports an idle window.
 */
public final class ScrapeSensor implements LatencySensor {
    /** Bodies above this are refused (a real exporter page is a few hundred KiB at most). */
    public static final long MAX_BODY_BYTES = 4L * 1024 * 1024;

    private final HttpClient http;
    private final URI url;
    private final String metric;
    private final String service;
    private final double sloMs;
    private final Duration timeout;
    private final double toMs;
    private HistogramSnapshot previous;

    public ScrapeSensor(String service, double sloMs, URI url, String metric, Duration timeout) {
        this.service = Objects.requireNonNull(service, "service");
        this.sloMs = sloMs;
        this.url = Objects.requireNonNull(url, "url");
        this.metric = Objects.requireNonNull(metric, "metric");
        this.timeout = timeout;
        this.toMs = unitToMs(metric);
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    static double unitToMs(String metric) {
        if (metric.endsWith("_seconds")) {
            return 1000;
        }
        if (metric.endsWith("_us") || metric.endsWith("_microseconds")) {
            return 0.001;
        }
        return 1;
    }

    @Override
    public ServiceLatency read() throws SensorUnavailableException {
        HistogramSnapshot now = scrape();
        HistogramSnapshot window = now.minus(previous);
        boolean first = previous == null;
        previous = now;
        if (first || window.count() <= 0) {
            return ServiceLatency.idle(service, sloMs);
        }
        double p99 = window.quantile(0.99) * toMs;
        double mean = window.sum() / window.count() * toMs;
        return new ServiceLatency(service, sloMs, p99, Math.max(0, mean), Math.round(window.count()));
    }

    private HistogramSnapshot scrape() throws SensorUnavailableException {
        HttpRequest req = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Accept", "text/plain;version=0.0.4").GET().build();
        CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(req, CappedBody.handler(MAX_BODY_BYTES));
        try {
            HttpResponse<byte[]> resp = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (resp.statusCode() != 200) {
                throw new SensorUnavailableException(url + ": HTTP " + resp.statusCode());
            }
            return PrometheusText.parse(new StringReader(new String(resp.body(), StandardCharsets.UTF_8)), metric,
                    url.toString());
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new SensorUnavailableException(url + ": no complete answer within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw new SensorUnavailableException(url + ": no complete answer within " + timeout.toMillis() + " ms", cause);
            }
            throw new SensorUnavailableException(url + ": " + (cause.getMessage() == null ? cause.toString() : cause.getMessage()), cause);
        } catch (IOException e) {
            throw new SensorUnavailableException(url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new SensorUnavailableException(url + ": interrupted", e);
        }
    }

    @Override
    public double sloMs() {
        return sloMs;
    }

    @Override
    public String service() {
        return service;
    }
}
