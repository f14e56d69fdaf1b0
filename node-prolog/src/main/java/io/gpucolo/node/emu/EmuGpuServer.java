package io.gpucolo.node.emu;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The emulated-GPU daemon: one Unix socket serving one or more emulated GPUs, each a {@link GpuEngine} driven in
 * real time by its own thread. The wire protocol is documented in {@code docs/EMULATED-GPU.md}.
 */
public final class EmuGpuServer implements AutoCloseable {
    private final Path socket;
    private final List<Gpu> gpus = new ArrayList<>();
    private final LongSupplier nanoTime;
    private final long t0;
    private ServerSocketChannel server;
    private volatile boolean running = true;

    /** One emulated GPU: its engine, the lock that serialises it and the thread that delivers completions. */
    private final class Gpu {
        final int index;
        final GpuEngine engine;
        final ReentrantLock lock = new ReentrantLock();
        final Condition changed = lock.newCondition();
        final Map<Integer, LineConnection> owners = new java.util.HashMap<>();

        Gpu(int index, GpuEngine engine) {
            this.index = index;
            this.engine = engine;
        }

        void loop() {
            lock.lock();
            try {
                while (running) {
                    double now = nowMs();
                    deliver(engine.advanceTo(now));
                    double next = engine.nextCompletionMs();
                    long waitNs = Double.isInfinite(next) ? TimeUnit.SECONDS.toNanos(1)
                            : Math.max(0, (long) ((next - now) * 1e6));
                    if (waitNs > 0) {
                        changed.awaitNanos(waitNs);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lock.unlock();
            }
        }

        /** Runs {@code action} at the current model time, after delivering what completed before it. */
        <T> T atNow(java.util.function.DoubleFunction<T> action) {
            lock.lock();
            try {
                double now = nowMs();
                deliver(engine.advanceTo(now));
                T r = action.apply(now);
                changed.signalAll();
                return r;
            } finally {
                lock.unlock();
            }
        }

        private void deliver(List<GpuEngine.Completion> done) {
            for (GpuEngine.Completion c : done) {
                LineConnection conn = owners.get(c.clientId());
                if (conn != null) {
                    conn.send(String.format(Locale.ROOT, "DONE %d latency_ms=%.6f run_ms=%.6f finished_ms=%.6f",
                            c.tag(), c.latencyMs(), c.finishedMs() - c.startedMs(), c.finishedMs()));
                }
            }
        }
    }

    /**
     * @param socket   the Unix socket path to listen on (its directory is created)
     * @param law      the contention law (wraps the latency model and the GPU model name)
     * @param count    number of emulated GPUs, indexed 0..count-1
     * @param memoryMiB memory of each emulated GPU
     * @param nanoTime the time source (System::nanoTime in the daemon)
     */
    EmuGpuServer(Path socket, ContentionLaw law, int count, long memoryMiB, LongSupplier nanoTime) {
        this.socket = Objects.requireNonNull(socket, "socket");
        this.nanoTime = nanoTime;
        this.t0 = nanoTime.getAsLong();
        if (count < 1 || count > 64) {
            throw new IllegalArgumentException("GPU count must be 1..64, got " + count);
        }
        for (int i = 0; i < count; i++) {
            gpus.add(new Gpu(i, new GpuEngine(law, memoryMiB)));
        }
    }

    private double nowMs() {
        return (nanoTime.getAsLong() - t0) / 1e6;
    }

    /** Binds the socket and starts the GPU threads and the acceptor; returns at once. */
    public void start() throws IOException {
        Path dir = socket.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        for (Gpu g : gpus) {
            Thread t = new Thread(g::loop, "emu-gpu-" + g.index);
            t.setDaemon(true);
            t.start();
        }
        Thread acceptor = new Thread(this::acceptLoop, "emu-gpu-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        int n = 0;
        while (running) {
            try {
                SocketChannel ch = server.accept();
                String name = "emu-conn-" + (++n);
                Thread t = new Thread(() -> serve(new LineConnection(ch, name)), name);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (running) {
                    System.err.println("emu-gpu: accept failed: " + e.getMessage());
                }
                return;
            }
        }
    }

    private void serve(LineConnection conn) {
        Gpu gpu = null;
        int clientId = -1;
        try (conn) {
            String line;
            while ((line = conn.readLine()) != null) {
                String[] w = line.trim().split("\\s+");
                try {
                    switch (w[0]) {
                        case "HELLO" -> {
                            if (gpu != null) {
                                throw new IllegalArgumentException("HELLO sent twice");
                            }
                            Map<String, String> f = Wire.fields(w, 1);
                            int index = Wire.intField(f, "gpu", 0, 0, gpus.size() - 1);
                            GpuEngine.ClientSpec spec = new GpuEngine.ClientSpec(ClientKind.parse(Wire.required(f, "kind")),
                                    f.getOrDefault("context", "mps:default"), Wire.intField(f, "cap", 100, 1, 100),
                                    f.getOrDefault("model", "default"), Wire.intField(f, "batch", 1, 1, 4096),
                                    Wire.longField(f, "mem", 0), Wire.longField(f, "pid", 0));
                            Gpu g = gpus.get(index);
                            int id = g.atNow(now -> {
                                int cid = g.engine.attach(spec);
                                g.owners.put(cid, conn);
                                return cid;
                            });
                            gpu = g;
                            clientId = id;
                            conn.send("OK client=" + id + " gpu=" + index + " cap=" + spec.capPercent());
                        }
                        case "SUBMIT" -> {
                            if (gpu == null) {
                                throw new IllegalArgumentException("SUBMIT before HELLO");
                            }
                            if (w.length < 2) {
                                throw new IllegalArgumentException("SUBMIT needs a tag");
                            }
                            long tag = Long.parseLong(w[1]);
                            Map<String, String> f = Wire.fields(w, 2);
                            Gpu g = gpu;
                            int cid = clientId;
                            if (f.containsKey("work")) {
                                double work = Wire.doubleField(f, "work");
                                g.atNow(now -> {
                                    g.engine.submitWork(cid, tag, work, now);
                                    return null;
                                });
                            } else {
                                int batch = Wire.intField(f, "batch", g.engine.batchOf(cid), 1, 4096);
                                g.atNow(now -> g.engine.submitBatch(cid, tag, batch, now));
                            }
                        }
                        case "STATUS" -> {
                            for (Gpu g : gpus) {
                                List<String> lines = g.atNow(now -> g.engine.describe());
                                conn.send("gpu_index=" + g.index);
                                lines.forEach(conn::send);
                            }
                            conn.send("END");
                        }
                        case "" -> { }
                        default -> throw new IllegalArgumentException("unknown request '" + w[0] + "'");
                    }
                } catch (NumberFormatException e) {
                    conn.send("ERR bad number in '" + line + "'");
                } catch (IllegalArgumentException | IllegalStateException e) {
                    conn.send("ERR " + e.getMessage());
                }
            }
        } catch (IOException e) {
            // the client went away: detach below
        } finally {
            if (gpu != null) {
                Gpu g = gpu;
                int cid = clientId;
                g.atNow(now -> {
                    g.engine.detach(cid);
                    g.owners.remove(cid);
                    return null;
                });
            }
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        if (server != null) {
            server.close();
        }
        Files.deleteIfExists(socket);
    }
}
