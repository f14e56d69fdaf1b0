package io.gpucolo.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ScrapeTest {
    private static final String BEFORE = """
            # HELP lat_seconds Latency
            # TYPE lat_seconds histogram
            lat_seconds_bucket{le="0.01"} 10
            lat_seconds_bucket{le="0.05"} 90
            lat_seconds_bucket{le="0.1"} 100
            lat_seconds_bucket{le="+Inf"} 100
            lat_seconds_count 100
            noded_duty_cycle{gpu="vm:g0",service="a b"} 0.25
            """;

    @Test
    void quantileComesFromBucketDeltasBetweenScrapes() {
        TreeMap<Double, Double> before = Scrape.buckets(Scrape.parse(BEFORE), "lat_seconds", Map.of());
        // 200 more requests: 100 under 10 ms, 96 more under 50 ms, 2 under 100 ms, 2 beyond
        String after = BEFORE.replace("} 10\n", "} 110\n").replace("0.05\"} 90", "0.05\"} 286")
                .replace("0.1\"} 100", "0.1\"} 298").replace("+Inf\"} 100", "+Inf\"} 300");
        TreeMap<Double, Double> now = Scrape.buckets(Scrape.parse(after), "lat_seconds", Map.of());
        assertEquals(0.05, Scrape.quantileBetween(before, now, 0.98), 1e-12);
        assertEquals(0.1, Scrape.quantileBetween(before, now, 0.99), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, Scrape.quantileBetween(before, now, 0.999));
        assertTrue(Double.isNaN(Scrape.quantileBetween(now, now, 0.99)), "no requests in between: no quantile");
    }

    @Test
    void labelsWithSpacesAndValuesAreParsed() {
        List<Scrape.Sample> s = Scrape.parse(BEFORE + "garbage line\nx{le=\"1\"} notanumber\n");
        assertEquals(0.25, Scrape.value(s, "noded_duty_cycle", Map.of("service", "a b")), 0);
        assertTrue(Double.isNaN(Scrape.value(s, "noded_duty_cycle", Map.of("gpu", "vm:g1"))));
        assertEquals(6, s.size(), "garbage and non-numeric lines are skipped");
    }

    @Test
    void fetchReadsARealEndpointAndIsEmptyWhenItIsDown() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", ex -> {
            byte[] body = BEFORE.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
        try {
            assertEquals(100, Scrape.value(Scrape.fetch(uri).orElseThrow(), "lat_seconds_count", Map.of()), 0);
        } finally {
            server.stop(0);
        }
        assertTrue(Scrape.fetch(uri).isEmpty(), "a closed port reads as no sample");
    }
}
