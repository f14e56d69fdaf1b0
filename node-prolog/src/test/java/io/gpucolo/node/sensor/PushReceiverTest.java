package io.gpucolo.node.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.gpucolo.node.law.ServiceLatency;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Real UDP datagrams on loopback. */
class PushReceiverTest {
    private static void send(int port, String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        try (DatagramSocket s = new DatagramSocket()) {
            s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
        }
    }

    /** Waits until the receiver has handled {@code lines} lines (recorded or dropped), then reads one window. */
    private static ServiceLatency readAfter(PushReceiver r, LatencySensor sensor, long lines) throws Exception {
        for (int i = 0; i < 300 && r.accepted() + r.dropped() < lines; i++) {
            Thread.sleep(10);
        }
        return sensor.read();
    }

    @Test
    void recordsEachRequestAndGivesTheWindowP99() throws Exception {
        try (PushReceiver r = new PushReceiver(0)) {
            LatencySensor sensor = r.sensor("resnet", 20);
            StringBuilder b = new StringBuilder();
            for (int i = 1; i <= 100; i++) {
                b.append("resnet ").append(i).append('\n');     // 1..100 ms
            }
            send(r.port(), b.toString());
            ServiceLatency w = readAfter(r, sensor, 100);
            assertEquals(100, w.count());
            assertEquals(99.0, w.p99Ms(), 0.1);                 // HdrHistogram, 3 significant digits
            assertEquals(50.5, w.meanMs(), 0.1);
            assertFalse(sensor.read().hasData());               // the window was reset
        }
    }

    @Test
    void dropsMalformedAndUnknownLines() throws Exception {
        try (PushReceiver r = new PushReceiver(0)) {
            LatencySensor sensor = r.sensor("resnet", 20);
            send(r.port(), "resnet abc\nbert 5\nresnet -1\njunk\nresnet 7\n");
            ServiceLatency w = readAfter(r, sensor, 5);
            assertEquals(1, w.count());
            assertEquals(7.0, w.p99Ms(), 0.01);
            assertEquals(4, r.dropped());
        }
    }
}
