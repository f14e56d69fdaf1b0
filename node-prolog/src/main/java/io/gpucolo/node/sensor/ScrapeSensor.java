package io.gpucolo.node.sensor;

import io.gpucolo.node.law.ServiceLatency;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Scrapes an inference server's Prometheus histogram over HTTP and gives the window since the previous scrape: p99
 * from the bucket deltas (interpolated as PromQL's {@code histogram_quantile}), mean from the {@code _sum} and
 * {@code _count} deltas. A counter reset (server restart) makes the window the counts since the restart.
 * The histogram's unit is taken from its name ({@code _seconds} → ×1000, {@code _us}/{@code _microseconds} → ×0.001,
 * otherwise milliseconds). A plain blocking HTTP/1.1 GET ({@link HttpURLConnection}, keep-alive; about a third of the
 * CPU of {@code java.net.http}). Bounded: connect and read timeouts, a deadline on the whole body, a body size cap;
 * anything else than a 200 with
 * the named histogram is {@link SensorUnavailableException}. The first successful scrape only sets the baseline and
 * reports an idle window.
 */
public final class ScrapeSensor implements LatencySensor {
    /** Bodies above this are refused (a real exporter page is a few hundred KiB at most). */
    public static final long MAX_BODY_BYTES = 4L * 1024 * 1024;

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
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpURLConnection conn = null;
        try {
            conn = (HttpURLConnection) url.toURL().openConnection(Proxy.NO_PROXY);
            conn.setConnectTimeout((int) timeout.toMillis());
            conn.setReadTimeout((int) timeout.toMillis());
            conn.setInstanceFollowRedirects(false);
            conn.setRequestProperty("Accept", "text/plain;version=0.0.4");
            int status = conn.getResponseCode();
            if (status != 200) {
                throw new SensorUnavailableException(url + ": HTTP " + status);
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream(16384);
            byte[] buf = new byte[16384];
            try (InputStream in = conn.getInputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    body.write(buf, 0, n);
                    if (body.size() > MAX_BODY_BYTES) {
                        throw new SensorUnavailableException(url + ": body larger than " + MAX_BODY_BYTES + " bytes, refused");
                    }
                    if (System.nanoTime() > deadline) {
                        throw new SocketTimeoutException("body not complete");
                    }
                }
            }
            return PrometheusText.parse(new StringReader(body.toString(StandardCharsets.UTF_8)), metric, url.toString());
        } catch (SocketTimeoutException e) {
            throw new SensorUnavailableException(url + ": no complete answer within " + timeout.toMillis() + " ms", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new SensorUnavailableException(url + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        } finally {
            if (conn != null && System.nanoTime() > deadline) {
                conn.disconnect();
            }
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
