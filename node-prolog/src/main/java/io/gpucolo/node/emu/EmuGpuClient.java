package io.gpucolo.node.emu;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A process's handle on one emulated GPU (the analogue of a CUDA context): attach with {@link #connect}, submit
 * inference batches or training kernels, and get each kernel's completion as a future. The cap given at connect
 * time is fixed for the life of the connection, as an MPS client's is for its CUDA context.
 * <pre>{@code
 * try (EmuGpuClient gpu = EmuGpuClient.connect(socket, new EmuGpuClient.Hello(0, ClientKind.TRAIN, pid, 30, 4096, "resnet50", 1, "mps:default"))) {
 *     gpu.submitWork(200.0).join();          // one 200 ms kernel (ms on a whole idle GPU)
 * }
 * }</pre>
 */
public final class EmuGpuClient implements GpuBackend {
    /** What the client declares when it attaches; see the HELLO line in {@code docs/EMULATED-GPU.md}. */
    public record Hello(int gpu, ClientKind kind, long pid, int capPercent, long memoryMiB, String model, int batch,
                        String context) {
        public Hello {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(context, "context");
            if (capPercent < 1 || capPercent > 100) {
                throw new IllegalArgumentException("cap must be 1..100, got " + capPercent);
            }
            if (model.isBlank() || model.contains(" ") || context.contains(" ")) {
                throw new IllegalArgumentException("model and context must be single words");
            }
        }

        String line() {
            return String.format(Locale.ROOT, "HELLO gpu=%d kind=%s pid=%d cap=%d mem=%d model=%s batch=%d context=%s",
                    gpu, kind.wire(), pid, capPercent, memoryMiB, model, batch, context);
        }
    }

    /** A finished kernel: its latency from submission and its run time, in model milliseconds. */
    public record Done(long tag, double latencyMs, double runMs) {
    }

    private final LineConnection conn;
    private final Map<Long, CompletableFuture<Done>> pending = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final AtomicLong tags = new AtomicLong();
    private volatile String failure;
    private int capPercent;
    private int clientId;

    private EmuGpuClient(LineConnection conn) {
        this.conn = conn;
    }

    /** Connects and attaches; throws IOException with the daemon's reason when it refuses (e.g. out of memory). */
    public static EmuGpuClient connect(Path socket, Hello hello) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            ch.close();
            throw new IOException("emulated GPU not reachable at " + socket + ": " + e.getMessage(), e);
        }
        EmuGpuClient c = new EmuGpuClient(new LineConnection(ch, "emu-client"));
        Thread reader = new Thread(c::readLoop, "emu-client-reader");
        reader.setDaemon(true);
        reader.start();
        c.conn.send(hello.line());
        String ok = c.reply(10_000);
        if (ok == null || !ok.startsWith("OK ")) {
            c.close();
            throw new IOException("emulated GPU refused the client: " + (ok == null ? "no answer" : ok));
        }
        Map<String, String> f = Wire.fields(ok.split(" "), 1);
        c.capPercent = Integer.parseInt(f.get("cap"));
        c.clientId = Integer.parseInt(f.get("client"));
        return c;
    }

    private String reply(long timeoutMs) throws IOException {
        try {
            return replies.poll(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private void readLoop() {
        try {
            String line;
            while ((line = conn.readLine()) != null) {
                if (line.startsWith("DONE ")) {
                    String[] w = line.split(" ");
                    Map<String, String> f = Wire.fields(w, 2);
                    CompletableFuture<Done> fut = pending.remove(Long.parseLong(w[1]));
                    if (fut != null) {
                        fut.complete(new Done(Long.parseLong(w[1]), Double.parseDouble(f.get("latency_ms")),
                                Double.parseDouble(f.get("run_ms"))));
                    }
                } else {
                    replies.add(line);
                }
            }
            failure = "emulated GPU closed the connection";
        } catch (IOException | RuntimeException e) {
            failure = "emulated GPU connection failed: " + e.getMessage();
        }
        IOException ex = new IOException(failure);
        pending.values().forEach(f -> f.completeExceptionally(ex));
        replies.add("ERR " + failure);
    }

    /** The MPS cap this client runs with, fixed at connect time. */
    @Override
    public int capPercent() {
        return capPercent;
    }

    public int clientId() {
        return clientId;
    }

    /** Queues one inference batch (its work comes from the latency model at the batch declared in HELLO). */
    public CompletableFuture<Done> submitBatch() {
        return submit("");
    }

    /** Queues one inference batch of {@code batch} requests. */
    @Override
    public CompletableFuture<Done> submitBatch(int batch) {
        return submit(" batch=" + batch);
    }

    /** Queues one kernel of {@code workMs} milliseconds on a whole idle GPU. */
    @Override
    public CompletableFuture<Done> submitWork(double workMs) {
        if (!(workMs > 0)) {
            throw new IllegalArgumentException("work must be > 0 ms, got " + workMs);
        }
        return submit(String.format(Locale.ROOT, " work=%.6f", workMs));
    }

    private CompletableFuture<Done> submit(String args) {
        long tag = tags.incrementAndGet();
        CompletableFuture<Done> f = new CompletableFuture<>();
        if (failure != null) {
            f.completeExceptionally(new IOException(failure));
            return f;
        }
        pending.put(tag, f);
        conn.send("SUBMIT " + tag + args);
        return f;
    }

    /** Asks a daemon for its STATUS lines without attaching to a GPU. */
    public static List<String> queryStatus(Path socket) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(java.nio.ByteBuffer.wrap("STATUS\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
                    java.nio.channels.Channels.newInputStream(ch), java.nio.charset.StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            String l;
            while ((l = in.readLine()) != null && !l.equals("END")) {
                lines.add(l);
            }
            return lines;
        }
    }

    /** The daemon's STATUS lines (every GPU, every client). */
    public List<String> status() throws IOException {
        conn.send("STATUS");
        List<String> lines = new ArrayList<>();
        while (true) {
            String l = reply(10_000);
            if (l == null || l.equals("END") || l.startsWith("ERR ")) {
                return lines;
            }
            lines.add(l);
        }
    }

    @Override
    public void close() {
        conn.close();
    }
}
