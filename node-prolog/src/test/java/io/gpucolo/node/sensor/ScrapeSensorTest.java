package io.gpucolo.node.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.gpucolo.node.law.ServiceLatency;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real HTTP server on loopback serving real Prometheus exposition text. */
class ScrapeSensorTest {
    private static final String METRIC = "request_duration_seconds";
    private final AtomicReference<String> body = new AtomicReference<>("");
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/metrics", ex -> {
            byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        });
        server.createContext("/hang", ex -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.createContext("/huge", ex -> {
            ex.sendResponseHeaders(200, 0);
            byte[] chunk = ("# padding " + "x".repeat(1000) + "\n").getBytes(StandardCharsets.UTF_8);
            try (OutputStream o = ex.getResponseBody()) {
                for (int i = 0; i < 6000; i++) {
                    o.write(chunk);
                }
            } catch (IOException expected) {
                // the client hung up once the cap was reached
            }
        });
        server.createContext("/missing", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private ScrapeSensor sensor(String path) {
        return sensor(path, 5000);
    }

    private ScrapeSensor sensor(String path, long timeoutMs) {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
        return new ScrapeSensor("resnet", 50, uri, METRIC, Duration.ofMillis(timeoutMs));
    }

    /** A vLLM-style page: two label sets of one histogram plus unrelated metrics. */
    private static String page(long fastA, long slowA, long fastB, double sum) {
        long total = fastA + slowA + fastB;
        return "# HELP request_duration_seconds Request latency.\n"
                + "# TYPE request_duration_seconds histogram\n"
                + "request_duration_seconds_bucket{model=\"a\",le=\"0.01\"} " + fastA + "\n"
                + "request_duration_seconds_bucket{model=\"a\",le=\"0.05\"} " + (fastA + slowA) + "\n"
                + "request_duration_seconds_bucket{model=\"a\",le=\"+Inf\"} " + (fastA + slowA) + "\n"
                + "request_duration_seconds_bucket{model=\"b\",le=\"0.01\"} " + fastB + "\n"
                + "request_duration_seconds_bucket{model=\"b\",le=\"0.05\"} " + fastB + "\n"
                + "request_duration_seconds_bucket{model=\"b\",le=\"+Inf\"} " + fastB + " 1700000000000\n"
                + "request_duration_seconds_sum " + sum + "\n"
                + "request_duration_seconds_count " + total + "\n"
                + "process_cpu_seconds_total 12.5\n";
    }

    @Test
    void windowedP99ComesFromBucketDeltas() throws Exception {
        ScrapeSensor s = sensor("/metrics");
        body.set(page(100, 0, 0, 0.5));
        assertFalse(s.read().hasData());                     // baseline only
        body.set(page(100 + 900, 100, 0, 0.5 + 9.0));        // window: 900 fast, 100 in (0.01, 0.05]
        ServiceLatency w = s.read();
        assertEquals(1000, w.count());
        // rank 990 of 1000: 90 of 100 into the (10 ms, 50 ms] bucket -> 10 + 40 * 0.9 = 46 ms
        assertEquals(46.0, w.p99Ms(), 1e-9);
        assertEquals(9.0, w.meanMs(), 1e-9);                 // 9.0 s / 1000 requests = 9 ms
        body.set(page(1000, 100, 0, 9.5));
        assertFalse(s.read().hasData());                     // no request in this window
    }

    @Test
    void counterResetStartsAFreshWindow() throws Exception {
        ScrapeSensor s = sensor("/metrics");
        body.set(page(5000, 0, 0, 25));
        s.read();
        body.set(page(10, 0, 10, 0.1));                      // the server restarted: counts went down
        ServiceLatency w = s.read();
        assertEquals(20, w.count());
        assertEquals(5.0, w.meanMs(), 1e-9);
        assertTrue(w.p99Ms() <= 10.0);
    }

    @Test
    void garbageIsUnavailableWithTheLine() {
        ScrapeSensor s = sensor("/metrics");
        body.set("request_duration_seconds_bucket{le=\"0.01\"} lots\n");
        SensorUnavailableException e = assertThrows(SensorUnavailableException.class, s::read);
        assertTrue(e.getMessage().contains(":1: not a number: 'lots'"), e.getMessage());
        body.set("<html>oops</html>");
        e = assertThrows(SensorUnavailableException.class, s::read);
        assertTrue(e.getMessage().contains("no histogram named 'request_duration_seconds'"), e.getMessage());
    }

    @Test
    void hangingEndpointTimesOut() {
        long t0 = System.nanoTime();
        SensorUnavailableException e = assertThrows(SensorUnavailableException.class, () -> sensor("/hang", 500).read());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 4500, "took " + ms + " ms");
        assertTrue(e.getMessage().contains("500 ms"), e.getMessage());
    }

    @Test
    void hugeBodyIsRefused() {
        SensorUnavailableException e = assertThrows(SensorUnavailableException.class, () -> sensor("/huge").read());
        assertTrue(e.getMessage().contains("larger than"), e.getMessage());
    }

    @Test
    void httpErrorsAndClosedPortsAreUnavailable() {
        assertTrue(assertThrows(SensorUnavailableException.class, () -> sensor("/missing").read())
                .getMessage().contains("HTTP 404"));
        ScrapeSensor closed = new ScrapeSensor("x", 10, URI.create("http://127.0.0.1:1/metrics"), METRIC,
                Duration.ofMillis(500));
        assertThrows(SensorUnavailableException.class, closed::read);
    }

    @Test
    void unitFollowsTheName() {
        assertEquals(1000, ScrapeSensor.unitToMs("vllm_e2e_request_latency_seconds"));
        assertEquals(1, ScrapeSensor.unitToMs("nv_inference_first_response_histogram_ms"));
        assertEquals(0.001, ScrapeSensor.unitToMs("latency_us"));
    }
}
