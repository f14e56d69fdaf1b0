package io.gpucolo.node.sensor;

import io.gpucolo.node.law.ServiceLatency;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local push endpoint: inference servers that time each request themselves send UDP datagrams to
 * {@code 127.0.0.1:PORT}, each holding one or more lines {@code SERVICE LATENCY_MS} (for example
 * {@code resnet50 12.7}). Fire-and-forget, so a slow noded never slows a server down. Latencies go into an
 * HdrHistogram {@link Recorder} per registered service (1 µs .. 1 h, 3 significant digits); {@link #sensor} gives a
 * {@link LatencySensor} that reads and resets the interval histogram. Bound only to loopback. Lines for services not
 * registered and malformed lines are dropped and counted ({@link #dropped()}), logged at most once a minute per kind.
 */
public final class PushReceiver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PushReceiver.class);
    private static final long MAX_US = 3_600_000_000L;

    private final DatagramChannel channel;
    private final Map<String, Recorder> recorders = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final Thread thread;
    private volatile long lastWarnNanos;

    /** Binds {@code 127.0.0.1:port} (0 picks a free port) and starts receiving. */
    public PushReceiver(int port) throws IOException {
        channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        thread = new Thread(this::receive, "gpucolo-push-" + port());
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Starts accepting latencies for {@code service}; the returned sensor reads its windows. */
    public LatencySensor sensor(String service, double sloMs) {
        Recorder recorder = recorders.computeIfAbsent(service, s -> new Recorder(1, MAX_US, 3));
        return new LatencySensor() {
            private Histogram reuse;

            @Override
            public ServiceLatency read() {
                reuse = recorder.getIntervalHistogram(reuse);
                long n = reuse.getTotalCount();
                if (n == 0) {
                    return ServiceLatency.idle(service, sloMs);
                }
                return new ServiceLatency(service, sloMs, reuse.getValueAtPercentile(99) / 1000.0,
                        reuse.getMean() / 1000.0, n);
            }

            @Override
            public double sloMs() {
                return sloMs;
            }

            @Override
            public String service() {
                return service;
            }

            @Override
            public void close() {
                recorders.remove(service, recorder);
            }
        };
    }

    /** Latencies recorded so far. */
    public long accepted() {
        return accepted.get();
    }

    /** Lines dropped so far (malformed, or for a service nobody registered). */
    public long dropped() {
        return dropped.get();
    }

    private void receive() {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        while (channel.isOpen()) {
            try {
                buf.clear();
                channel.receive(buf);
                buf.flip();
                accept(StandardCharsets.UTF_8.decode(buf).toString());
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                warn("push endpoint receive failed: " + e.getMessage());
            }
        }
    }

    private void accept(String datagram) {
        for (String line : datagram.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            int space = trimmed.indexOf(' ');
            Recorder r = space > 0 ? recorders.get(trimmed.substring(0, space)) : null;
            double ms;
            try {
                ms = space > 0 ? Double.parseDouble(trimmed.substring(space + 1).strip()) : Double.NaN;
            } catch (NumberFormatException e) {
                ms = Double.NaN;
            }
            if (r == null || !(ms >= 0) || ms * 1000 > MAX_US) {
                dropped.incrementAndGet();
                warn("push endpoint dropped '" + PrometheusText.abbreviate(trimmed)
                        + "': expected 'SERVICE LATENCY_MS' for a registered service, latency in 0..3600000 ms");
                continue;
            }
            r.recordValue(Math.max(1, Math.round(ms * 1000)));
            accepted.incrementAndGet();
        }
    }

    private void warn(String message) {
        long now = System.nanoTime();
        if (now - lastWarnNanos > 60_000_000_000L || lastWarnNanos == 0) {
            lastWarnNanos = now;
            LOG.warn("{} ({} dropped so far)", message, dropped.get());
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
