package io.gpucolo.node.emu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inference stand-in as a real process: Prometheus histogram over HTTP, push endpoint, schedule file errors. */
class EmuInferProcessTest {
    @TempDir
    Path dir;
    Process gpu;
    Process infer;

    @AfterEach
    void stop() throws Exception {
        JavaProcs.destroy(infer);
        JavaProcs.destroy(gpu);
    }

    @Test
    void servesAHistogramInThePrometheusConventionAndPushesEachLatency() throws Exception {
        Path socket = dir.resolve("gpu.sock");
        gpu = JavaProcs.start(EmuMain.class, Map.of(), dir.resolve("gpu.log"), "emu-gpu", "--socket", socket.toString());
        assertTrue(JavaProcs.await(() -> JavaProcs.read(dir.resolve("gpu.log")).contains("listening"), 20_000));
        AtomicInteger pushed = new AtomicInteger();
        DatagramChannel sink = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        Thread receiver = new Thread(() -> {
            ByteBuffer b = ByteBuffer.allocate(65536);
            try {
                while (true) {
                    b.clear();
                    sink.receive(b);
                    for (String l : new String(b.array(), 0, b.position()).split("\n")) {
                        String[] w = l.split(" ");
                        if (w.length == 2 && w[0].equals("svc1") && Double.parseDouble(w[1]) > 0) {
                            pushed.incrementAndGet();
                        }
                    }
                }
            } catch (Exception e) {
                // closed
            }
        });
        receiver.setDaemon(true);
        receiver.start();
        try {
            Path port = dir.resolve("port");
            Path schedule = dir.resolve("load.txt");
            Files.writeString(schedule, "# burst\n0 100\n1.5 200\n");
            infer = JavaProcs.start(EmuMain.class, Map.of("GPUCOLO_EMU_GPU_SOCKET", socket.toString()),
                    dir.resolve("infer.log"), "emu-infer", "--schedule", schedule.toString(), "--port-file", port.toString(),
                    "--push", "127.0.0.1:" + ((InetSocketAddress) sink.getLocalAddress()).getPort(), "--service", "svc1", "--duration-s", "6");
            assertTrue(JavaProcs.await(() -> Files.exists(port), 20_000), JavaProcs.read(dir.resolve("infer.log")));
            Thread.sleep(2500);
            String metrics;
            try {
                metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + Files.readString(port).trim() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (java.io.IOException e) {
                throw new AssertionError("scrape failed: " + e + "; log: " + JavaProcs.read(dir.resolve("infer.log")), e);
            }
            assertTrue(metrics.contains("emu_inference_request_duration_seconds_bucket{le=\"0.01\"}"), metrics);
            assertTrue(metrics.contains("emu_inference_request_duration_seconds_bucket{le=\"+Inf\"}"), metrics);
            Matcher count = Pattern.compile("emu_inference_request_duration_seconds_count (\\d+)").matcher(metrics);
            assertTrue(count.find(), metrics);
            long n = Long.parseLong(count.group(1));
            assertTrue(n > 150, "about 100/s for 1.5 s then 200/s: " + n);
            assertTrue(metrics.contains("emu_inference_request_duration_seconds_sum "), metrics);
            assertTrue(infer.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, infer.exitValue(), JavaProcs.read(dir.resolve("infer.log")));
            assertTrue(JavaProcs.await(() -> pushed.get() > 300, 5_000), "pushed " + pushed.get());
            assertTrue(JavaProcs.read(dir.resolve("infer.log")).contains("emu-infer: requests="));
        } finally {
            sink.close();
        }
    }

    /** The schedule's 0 s is the given wall-clock instant: 100 s ago, the step at 50 s is already in force. */
    @Test
    void scheduleOriginShiftsTheSchedule() throws Exception {
        Path socket = dir.resolve("gpu.sock");
        gpu = JavaProcs.start(EmuMain.class, Map.of(), dir.resolve("gpu.log"), "emu-gpu", "--socket", socket.toString());
        assertTrue(JavaProcs.await(() -> JavaProcs.read(dir.resolve("gpu.log")).contains("listening"), 20_000));
        Path schedule = Files.writeString(dir.resolve("late.txt"), "0 0\n50 300\n");
        infer = JavaProcs.start(EmuMain.class, Map.of("GPUCOLO_EMU_GPU_SOCKET", socket.toString()), dir.resolve("infer.log"),
                "emu-infer", "--schedule", schedule.toString(), "--duration-s", "2",
                "--schedule-origin-ms", Long.toString(System.currentTimeMillis() - 100_000));
        assertTrue(infer.waitFor(30, TimeUnit.SECONDS));
        Matcher m = Pattern.compile("requests=(\\d+)").matcher(JavaProcs.read(dir.resolve("infer.log")));
        assertTrue(m.find(), JavaProcs.read(dir.resolve("infer.log")));
        assertTrue(Long.parseLong(m.group(1)) > 200, "300/s from the start, not 0: " + m.group(1));
    }

    @Test
    void aBadScheduleFileIsRefusedWithFileLineAndColumn() throws Exception {
        Path schedule = dir.resolve("bad.txt");
        Files.writeString(schedule, "0 100\n  30 lots\n");
        JavaProcs.Result r = JavaProcs.run(EmuMain.class, Map.of(), "", "emu-infer", "--schedule", schedule.toString());
        assertEquals(2, r.rc(), r.output());
        assertTrue(r.output().contains(schedule + ":2:3: not a number"), r.output());
        assertTrue(!r.output().contains("\tat "), r.output());
    }

    @Test
    void noEmulatedGpuIsOneClearLine() throws Exception {
        JavaProcs.Result r = JavaProcs.run(EmuMain.class, Map.of("GPUCOLO_EMU_GPU_SOCKET", dir.resolve("none.sock").toString()),
                "", "emu-train", "--iterations", "1");
        assertEquals(1, r.rc(), r.output());
        assertTrue(r.output().contains("emulated GPU not reachable at"), r.output());
        assertEquals(1, r.output().trim().lines().count(), r.output());
    }
}
