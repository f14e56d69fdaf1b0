package io.gpucolo.admitd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpucolo.admitd.protocol.HookClient;
import io.gpucolo.admitd.protocol.Reply;
import io.gpucolo.admitd.protocol.Request;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real server on loopback fed garbage: every bad message gets an error reply and the server goes on. */
class HookServerTest {
    private static final String SECRET = "s3cret-s3cret-s3cret";
    private HookServer server;

    @BeforeEach
    void start() throws Exception {
        server = new HookServer(InetAddress.getLoopbackAddress(), 0, SECRET,
                PeerCheck.forUser(System.getProperty("user.name")), r -> new Reply("ok", Map.of("echo", r.field("comment").orElse(""))));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private String raw(byte[] bytes, boolean halfClose) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            if (halfClose) {
                s.shutdownOutput();
            }
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void garbageOversizeAndTruncationGetErrorRepliesAndTheServerGoesOn() throws Exception {
        assertTrue(raw("hello world\n".getBytes(StandardCharsets.US_ASCII), false).startsWith("GPUCOLO/1 error"));
        byte[] big = new byte[20000];
        java.util.Arrays.fill(big, (byte) 'x');
        assertTrue(raw(big, false).contains("exceeds%208192%20bytes"));
        assertTrue(raw(("GPUCOLO/1 " + SECRET + " ping").getBytes(StandardCharsets.US_ASCII), true)
                .contains("truncated"));
        assertTrue(raw(new byte[] {(byte) 0xff, (byte) 0xfe, '\n'}, false).startsWith("GPUCOLO/1 error"));
        Reply ok = new HookClient(server.port(), SECRET, Duration.ofSeconds(2))
                .ask(new Request("ping", Map.of("comment", "still \"alive\"\n")));
        assertEquals("ok", ok.verdict());
        assertEquals("still \"alive\"\n", ok.fields().get("echo"));
    }

    @Test
    void everyExchangeIsTimedStageByStage() throws Exception {
        HookClient c = new HookClient(server.port(), SECRET, Duration.ofSeconds(2));
        String before = String.format(java.util.Locale.ROOT, "%.6f", System.currentTimeMillis() / 1000.0);
        assertEquals("ok", c.ask(new Request("train", Map.of("t", before))).verdict());
        assertEquals("ok", c.ask(new Request("ping", Map.of())).verdict());      // no hook clock: no connect sample
        PathTimes t = server.times();
        long end = System.nanoTime() + 5_000_000_000L;               // recorded just after the reply leaves
        while (t.copy(PathTimes.Stage.SERVICE).getTotalCount() < 2 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertEquals(2, t.copy(PathTimes.Stage.SERVICE).getTotalCount());
        assertEquals(2, t.copy(PathTimes.Stage.DECIDE).getTotalCount());
        assertEquals(1, t.copy(PathTimes.Stage.CONNECT).getTotalCount());
        assertTrue(t.copy(PathTimes.Stage.CONNECT).getMaxValue() < 2_000_000, "connect within the test's 2 s");
        assertTrue(t.at(99).matches("connect:[0-9.]+,read:[0-9.]+,lock:[0-9.]+,decide:[0-9.]+,journal:[0-9.]+,"
                + "reply:[0-9.]+,service:[0-9.]+"), t.at(99));
    }

    @Test
    void aUnixPeerThatNeverFinishesItsLineIsCutOffAndTheNextOneServed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path sock = dir.resolve("admitd.sock");
        try (HookServer unix = new HookServer(InetAddress.getLoopbackAddress(), 0, sock, SECRET,
                PeerCheck.forUser(System.getProperty("user.name")), r -> new Reply("ok", Map.of("op", r.op())))) {
            try (java.nio.channels.SocketChannel stalled = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(sock))) {
                stalled.write(java.nio.ByteBuffer.wrap("GPUCOLO/1 half a li".getBytes(StandardCharsets.US_ASCII)));
                long t0 = System.nanoTime();
                int n = stalled.read(java.nio.ByteBuffer.allocate(64));      // blocks until admitd closes it
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(-1, n, "closed without a reply");
                assertTrue(ms >= HookServer.READ_TIMEOUT_MS - 100 && ms < HookServer.READ_TIMEOUT_MS + 2000, ms + " ms");
            }
            String line = new Request("ping", Map.of()).encode(SECRET);
            try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(sock))) {
                ch.write(java.nio.ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.US_ASCII)));
                assertEquals("GPUCOLO/1 ok op=ping", new BufferedReader(new InputStreamReader(
                        java.nio.channels.Channels.newInputStream(ch), StandardCharsets.US_ASCII)).readLine());
            }
        }
    }

    @Test
    void theUnixSocketsRequestsAreAnsweredOnARealTimeThreadOnlyWhenAsked(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "SCHED_FIFO needs root (CAP_SYS_NICE)");
        for (boolean realtime : new boolean[] {true, false}) {
            java.nio.file.Path sock = dir.resolve("rt-" + realtime + ".sock");
            try (HookServer unix = new HookServer(InetAddress.getLoopbackAddress(), 0, sock, SECRET,
                    PeerCheck.forUser("root"), r -> new Reply("ok", Map.of("policy",
                    Integer.toString(io.gpucolo.admission.platform.Realtime.currentPolicy()))), new PathTimes(false), realtime)) {
                String line = new Request("ping", Map.of()).encode(SECRET);
                try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(sock))) {
                    ch.write(java.nio.ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.US_ASCII)));
                    assertEquals("GPUCOLO/1 ok policy=" + (realtime ? 1 : 0), new BufferedReader(new InputStreamReader(
                            java.nio.channels.Channels.newInputStream(ch), StandardCharsets.US_ASCII)).readLine(),
                            "realtime=" + realtime + ": the scheduling class of the thread that decided");
                }
            }
        }
    }

    private static String readReply(java.nio.channels.SocketChannel ch) throws Exception {
        StringBuilder sb = new StringBuilder();
        java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            if (ch.read(one) < 0) {
                return sb.length() == 0 ? null : sb.toString();
            }
            char c = (char) one.get(0);
            if (c == '\n') {
                return sb.toString();
            }
            sb.append(c);
        }
    }

    private static void send(java.nio.channels.SocketChannel ch, String text) throws Exception {
        ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void theControllersUnixConnectionCarriesRequestAfterRequestUntilOneFails(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path sock = dir.resolve("keep.sock");
        java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();
        try (HookServer unix = new HookServer(InetAddress.getLoopbackAddress(), 0, sock, SECRET,
                PeerCheck.forUser(System.getProperty("user.name")),
                r -> new Reply("ok", Map.of("n", served.incrementAndGet() + ":" + r.field("comment").orElse(""))))) {
            try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(sock))) {
                for (int i = 1; i <= 3; i++) {
                    send(ch, new Request("train", Map.of("comment", "one-" + i)).encode(SECRET) + "\n");
                    assertEquals("GPUCOLO/1 ok n=" + i + ":one-" + i, readReply(ch), "request " + i + " on one connection");
                }
                send(ch, new Request("train", Map.of("comment", "a")).encode(SECRET) + "\n"
                        + new Request("train", Map.of("comment", "b")).encode(SECRET) + "\n");   // two in one write
                assertEquals("GPUCOLO/1 ok n=4:a", readReply(ch));
                assertEquals("GPUCOLO/1 ok n=5:b", readReply(ch), "nothing after the first newline is lost");
                send(ch, "GPUCOLO/1 not-the-secret-at-all ping\n");
                String bad = readReply(ch);
                assertTrue(bad != null && bad.startsWith("GPUCOLO/1 error msg="), "a bad request gets its error reply: " + bad);
                assertEquals(null, readReply(ch), "then the connection is closed (it may be mid-line)");
            }
            java.util.List<java.nio.channels.SocketChannel> many = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < UnixListener.KEPT + 1; i++) {
                    java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(sock));
                    many.add(ch);
                    send(ch, new Request("ping", Map.of()).encode(SECRET) + "\n");
                    assertTrue(readReply(ch).startsWith("GPUCOLO/1 ok"), "connection " + i);
                    Thread.sleep(50);                      // the keeping thread is back at its read
                }
                java.nio.channels.SocketChannel extra = many.get(UnixListener.KEPT);
                assertEquals(null, readReply(extra), "past " + UnixListener.KEPT + " kept, one is answered once and closed");
                java.nio.channels.SocketChannel first = many.get(0);
                send(first, new Request("ping", Map.of()).encode(SECRET) + "\n");
                assertTrue(readReply(first).startsWith("GPUCOLO/1 ok"), "the kept ones still serve");
                send(first, "GPUCOLO/1 half a li");
                long t0 = System.nanoTime();
                assertEquals(null, readReply(first), "a request left half-sent on a kept connection is cut off");
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms >= HookServer.READ_TIMEOUT_MS - 100 && ms < HookServer.READ_TIMEOUT_MS + 2000, ms + " ms");
            } finally {
                for (java.nio.channels.SocketChannel ch : many) {
                    ch.close();
                }
            }
        }
    }

    @Test
    void aWrongSecretIsRefused() throws Exception {
        Reply r = new HookClient(server.port(), "not-the-secret-at-all", Duration.ofSeconds(2))
                .ask(new Request("ping", Map.of()));
        assertEquals("error", r.verdict());
        assertEquals("wrong secret", r.fields().get("msg"));
    }

    @Test
    void anotherLocalUserIsRefusedEvenWithTheSecret() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "switching to another uid needs root");
        String line = new Request("ping", Map.of()).encode(SECRET);
        Process p = new ProcessBuilder("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "bash", "-c",
                "exec 3<>/dev/tcp/127.0.0.1/\"$1\" && printf '%s\\n' \"$2\" >&3 && head -n 1 <&3", "peer",
                Integer.toString(server.port()), line).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertTrue(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
        String nobody = new String(new ProcessBuilder("id", "-u", "nobody").start().getInputStream().readAllBytes(),
                StandardCharsets.US_ASCII).strip();
        assertTrue(out.startsWith("GPUCOLO/1 error msg=connection%20from%20uid%20" + nobody + "%20refused"), out);
        Reply ok = new HookClient(server.port(), SECRET, Duration.ofSeconds(2)).ask(new Request("ping", Map.of()));
        assertEquals("ok", ok.verdict(), "root (this JVM) is refused: " + ok);
    }

    @Test
    void theUnixSocketTellsWhoConnectedAndRefusesOtherUsers(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "switching to another uid needs root");
        java.nio.file.Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        java.nio.file.Path sock = dir.resolve("admitd.sock");
        java.nio.file.Files.writeString(dir.resolve("not-a-socket"), "x");
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> new HookServer(InetAddress.getLoopbackAddress(), 0, dir.resolve("not-a-socket"), SECRET,
                        PeerCheck.forUser("root"), r -> new Reply("ok", Map.of()))).getMessage().contains("not a socket"));
        try (HookServer unix = new HookServer(InetAddress.getLoopbackAddress(), 0, sock, SECRET, PeerCheck.forUser("root"),
                r -> new Reply("ok", Map.of("op", r.op())))) {
            String line = new Request("ping", Map.of()).encode(SECRET);
            try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(sock))) {
                ch.write(java.nio.ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.US_ASCII)));
                String reply = new BufferedReader(new InputStreamReader(java.nio.channels.Channels.newInputStream(ch),
                        StandardCharsets.US_ASCII)).readLine();
                assertEquals("GPUCOLO/1 ok op=ping", reply);
            }
            java.nio.file.Path client = dir.resolve("UnixPing.java");           // a client run as another user
            java.nio.file.Files.writeString(client, "import java.nio.channels.*; import java.net.*; import java.nio.*;\n"
                    + "public class UnixPing { public static void main(String[] a) throws Exception {\n"
                    + "  try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(a[0]))) {\n"
                    + "    c.write(ByteBuffer.wrap((a[1] + \"\\n\").getBytes()));\n"
                    + "    System.out.println(new java.io.BufferedReader(new java.io.InputStreamReader(Channels.newInputStream(c))).readLine());\n"
                    + "  } } }\n");
            java.nio.file.Files.setPosixFilePermissions(client, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            Process p = new ProcessBuilder("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                    ProcessHandle.current().info().command().orElse("java"), "-Xshare:off", client.toString(),
                    sock.toString(), line).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            assertTrue(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals("GPUCOLO/1 error msg=connection%20from%20user%20nobody%20refused:%20only%20allowed_peer%20root%20"
                    + "and%20root%20%28uids%20%5B0%5D%29%20may%20ask", out);
        }
        assertTrue(!java.nio.file.Files.exists(sock), "socket file left behind");
    }

    @Test
    void addressesAreWrittenTheWayTheKernelPrintsThem() throws Exception {
        assertEquals("0100007F:1AAE", PeerCheck.hex(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), 6830)));
        assertEquals("00000000000000000000000001000000:0050",
                PeerCheck.hex(new java.net.InetSocketAddress(InetAddress.getByName("::1"), 80)));
        assertEquals("0000000000000000FFFF00000100007F:1AAE",
                PeerCheck.hex(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), 6830), true));
        assertTrue(PeerCheck.peerUid(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), 1),
                new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), 2)).isEmpty());
    }
}
