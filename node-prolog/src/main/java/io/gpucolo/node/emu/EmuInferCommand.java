package io.gpucolo.node.emu;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gpucolo emu-infer}: an inference-server stand-in. Requests arrive as a Poisson process at the rate of
 * {@code --rate} or a {@code --schedule} file ({@link LoadSchedule}); a dispatcher forms batches (up to
 * {@code --max-batch}, waiting at most {@code --batch-window-ms} for more) and runs one batch at a time on the
 * GPU, like a server with one model instance. Each request's latency (arrival to batch completion, wall clock) goes
 * into the Prometheus histogram {@value #METRIC}{@code _seconds} served at {@code http://127.0.0.1:PORT/metrics}
 * ({@code _bucket{le=...}}, {@code _sum}, {@code _count}: the Triton/vLLM convention), and, with
 * {@code --push HOST:PORT}, sent to noded's UDP push endpoint: one datagram per batch, one line
 * {@code SERVICE LATENCY_MS} per request ({@code --service}, default the model name).
 */
@Command(name = "emu-infer", mixinStandardHelpOptions = true, description = "Inference-server stand-in on the emulated GPU.")
public final class EmuInferCommand implements Callable<Integer> {
    static final String METRIC = "emu_inference_request_duration";
    private static final double[] BUCKETS_S = {0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0.007, 0.008, 0.009, 0.010,
        0.012, 0.014, 0.016, 0.018, 0.020, 0.025, 0.030, 0.035, 0.040, 0.045, 0.050, 0.060, 0.070, 0.080, 0.090, 0.100,
        0.120, 0.150, 0.200, 0.250, 0.300, 0.400, 0.500, 0.750, 1.0, 2.0, 5.0, 10.0};

    @Option(names = "--rate", description = "requests per second (default: ${DEFAULT-VALUE})")
    double rate = 100;

    @Option(names = "--schedule", description = "load schedule file (SECONDS RATE per line); overrides --rate")
    Path schedule;

    @Option(names = "--schedule-origin-ms", description = "wall-clock instant (epoch ms) of the schedule's 0 s, so that "
            + "several servers step together; before it the first step's rate holds (default: this server's start)")
    Long scheduleOriginMs;

    @Option(names = "--schedule-origin-file", description = "file that will hold the wall-clock instant (epoch ms) of the "
            + "schedule's 0 s, written by whoever starts several servers once they all serve; until it appears, the first "
            + "step's rate holds (overrides --schedule-origin-ms)")
    Path scheduleOriginFile;

    @Option(names = "--max-batch", description = "largest batch (default: ${DEFAULT-VALUE})")
    int maxBatch = 8;

    @Option(names = "--batch-window-ms", description = "longest wait for a batch to fill (default: ${DEFAULT-VALUE})")
    double batchWindowMs = 2;

    @Option(names = "--model", description = "model name given to the latency model (default: ${DEFAULT-VALUE})")
    String model = "resnet50";

    @Option(names = "--memory-mib", description = "GPU memory the server holds (default: ${DEFAULT-VALUE})")
    long memoryMiB = 2048;

    @Option(names = "--metrics-port", description = "port of the /metrics endpoint on 127.0.0.1; 0 = any free port (default: ${DEFAULT-VALUE})")
    int metricsPort;

    @Option(names = "--port-file", description = "file to write the bound metrics port to")
    Path portFile;

    @Option(names = "--push", description = "UDP push endpoint HOST:PORT (noded's): lines 'SERVICE LATENCY_MS'")
    String push;

    @Option(names = "--service", description = "service name in pushed lines (default: the model name)")
    String service;

    @Option(names = "--duration-s", description = "stop after this many seconds; 0 = until signalled (default: ${DEFAULT-VALUE})")
    double durationS;

    @Option(names = "--seed", description = "seed of the arrival process (default: ${DEFAULT-VALUE})")
    long seed = 1;

    private record Request(long arrivalNs) {
    }

    @Override
    public Integer call() throws Exception {
        if (maxBatch < 1 || maxBatch > 4096 || !(batchWindowMs >= 0) || durationS < 0) {
            throw new IllegalArgumentException("--max-batch must be 1..4096, --batch-window-ms and --duration-s >= 0");
        }
        if (push != null) {
            pushAddress(push);
        }
        LoadSchedule load = schedule != null ? LoadSchedule.read(schedule) : LoadSchedule.constant(rate);
        PrometheusRegistry registry = new PrometheusRegistry();
        Histogram hist = Histogram.builder().name(METRIC + "_seconds")
                .help("Inference request latency, arrival to completion").classicOnly().classicUpperBounds(BUCKETS_S)
                .register(registry);
        org.HdrHistogram.Histogram summary = new org.HdrHistogram.Histogram(3_600_000_000L, 3);
        LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
        long startNs = System.nanoTime();
        long scheduleStartNs = scheduleOriginFile != null ? Long.MAX_VALUE : scheduleOriginMs == null ? startNs
                : originNs(scheduleOriginMs);
        try (StandIn.Context ctx = StandIn.open(System.getenv(), ClientKind.INFER, model, maxBatch, memoryMiB);
             HTTPServer http = HTTPServer.builder().inetAddress(InetAddress.getLoopbackAddress()).port(metricsPort)
                     .registry(registry).buildAndStart()) {
            System.out.printf(Locale.ROOT, "emu-infer: attached cap=%d metrics http://127.0.0.1:%d/metrics%n",
                    ctx.gpu().capPercent(), http.getPort());
            System.out.flush();
            if (portFile != null) {
                EmuTrainCommand.writeAtomically(portFile, http.getPort() + "\n");
            }
            Thread arrivals = new Thread(() -> arrive(load, queue, scheduleStartNs), "emu-infer-arrivals");
            arrivals.setDaemon(true);
            arrivals.start();
            DatagramChannel pusher = push == null ? null : DatagramChannel.open();
            InetSocketAddress pushTo = push == null ? null : pushAddress(push);
            String name = service != null ? service : model;
            long endNs = durationS > 0 ? startNs + (long) (durationS * 1e9) : Long.MAX_VALUE;
            while (System.nanoTime() < endNs) {
                Request first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Request> batch = new ArrayList<>(List.of(first));
                long windowEnd = System.nanoTime() + (long) (batchWindowMs * 1e6);
                while (batch.size() < maxBatch) {
                    Request r = queue.poll(Math.max(0, windowEnd - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (r == null) {
                        break;
                    }
                    batch.add(r);
                }
                ctx.gpu().submitBatch(batch.size()).get();
                long now = System.nanoTime();
                StringBuilder body = new StringBuilder();
                for (Request r : batch) {
                    double ms = (now - r.arrivalNs()) / 1e6;
                    hist.observe(ms / 1000);
                    summary.recordValue(Math.max(1, (long) (ms * 1000)));
                    body.append(name).append(' ').append(String.format(Locale.ROOT, "%.3f", ms)).append('\n');
                }
                if (pusher != null) {
                    try {
                        pusher.send(ByteBuffer.wrap(body.toString().getBytes(StandardCharsets.UTF_8)), pushTo);
                    } catch (java.io.IOException e) {
                        // fire and forget: a missing noded never slows the server
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "emu-infer: requests=%d p50_ms=%.3f p99_ms=%.3f%n", summary.getTotalCount(),
                summary.getValueAtPercentile(50) / 1000.0, summary.getValueAtPercentile(99) / 1000.0);
        return 0;
    }

    static InetSocketAddress pushAddress(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            if (colon <= 0 || port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(hostPort.substring(0, colon), port);
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("--push '" + hostPort + "': expected HOST:PORT, e.g. 127.0.0.1:9478");
        }
    }

    /** The {@code System.nanoTime()} of the wall-clock instant {@code epochMs}. */
    private static long originNs(long epochMs) {
        return System.nanoTime() + (epochMs - System.currentTimeMillis()) * 1_000_000L;
    }

    /**
     * The schedule's 0 s from {@link #scheduleOriginFile} once it holds an epoch-ms number (looked at most every
     * 10 ms); {@code Long.MAX_VALUE} (the first step's rate holds) until then.
     */
    private long originFromFile() {
        try {
            String s = java.nio.file.Files.readString(scheduleOriginFile).strip();
            return s.isEmpty() ? Long.MAX_VALUE : originNs(Long.parseLong(s));
        } catch (java.io.IOException | NumberFormatException e) {
            return Long.MAX_VALUE;    // not written yet (or half-written): look again later
        }
    }

    /** Poisson arrivals at the schedule's current rate; a rate of 0 idles in 10 ms steps. */
    private void arrive(LoadSchedule load, LinkedBlockingQueue<Request> queue, long origin) {
        RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        long next = System.nanoTime();
        long scheduleStartNs = origin;
        long lookedNs = next - 20_000_000L;
        while (true) {
            if (scheduleStartNs == Long.MAX_VALUE && scheduleOriginFile != null && next - lookedNs >= 10_000_000L) {
                lookedNs = next;
                scheduleStartNs = originFromFile();
            }
            double t = scheduleStartNs == Long.MAX_VALUE ? 0 : Math.max(0, (next - scheduleStartNs) / 1e9);
            double r = load.rateAt(t);
            if (r <= 0) {
                next += 10_000_000L;
            } else {
                next += (long) (-Math.log(1 - rnd.nextDouble()) / r * 1e9);
            }
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (r > 0) {
                queue.add(new Request(next));
            }
        }
    }
}
