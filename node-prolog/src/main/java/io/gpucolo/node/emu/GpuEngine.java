package io.gpucolo.node.emu;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One emulated GPU in model time (milliseconds, supplied by the caller; no clock inside). Clients attach with a
 * cap fixed for their lifetime, submit kernels, and each client's kernels run in order (one stream per client).
 * All clients with queued work progress at once, at the rates of the {@link ContentionLaw}; rates change only when
 * a kernel is submitted or completes, so the engine advances from event to event exactly.
 * <p>Queued kernels belong to the GPU, not to the client process: a client that stops submitting (SIGSTOP) keeps its
 * queue draining. Detaching (the process died) drops its queue, as a CUDA context teardown does.
 * Not thread-safe: the daemon serialises calls.
 */
final class GpuEngine {
    /** A completed kernel with its model times, ms. */
    record Completion(int clientId, long tag, double submittedMs, double startedMs, double finishedMs) {
        double latencyMs() {
            return finishedMs - submittedMs;
        }
    }

    /** What a client declared when it attached. */
    record ClientSpec(ClientKind kind, String context, int capPercent, String modelName, int batch, long memoryMiB,
                      long pid) {
        ClientSpec {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(modelName, "modelName");
            if (capPercent < 1 || capPercent > 100) {
                throw new IllegalArgumentException("cap must be 1..100, got " + capPercent);
            }
            if (batch < 1 || memoryMiB < 0) {
                throw new IllegalArgumentException("batch must be >= 1 and memory >= 0");
            }
        }
    }

    private static final class Kernel {
        final long tag;
        final double submittedMs;
        double startedMs = Double.NaN;
        double remaining;

        Kernel(long tag, double submittedMs, double work) {
            this.tag = tag;
            this.submittedMs = submittedMs;
            this.remaining = work;
        }
    }

    private static final class Client {
        final ClientSpec spec;
        final Deque<Kernel> queue = new ArrayDeque<>();
        double busyMs;
        long completed;

        Client(ClientSpec spec) {
            this.spec = spec;
        }
    }

    private static final double EPS = 1e-9;
    private final ContentionLaw law;
    private final long memoryMiB;
    private final Map<Integer, Client> clients = new LinkedHashMap<>();
    private int nextId = 1;
    private double nowMs;
    private double busyMs;

    GpuEngine(ContentionLaw law, long memoryMiB) {
        this.law = Objects.requireNonNull(law, "law");
        this.memoryMiB = memoryMiB;
    }

    double nowMs() {
        return nowMs;
    }

    /** Attaches a client; refuses one whose memory does not fit beside the others (an out-of-memory error). */
    int attach(ClientSpec spec) {
        long used = usedMemoryMiB();
        if (used + spec.memoryMiB() > memoryMiB) {
            throw new IllegalArgumentException("out of memory: client needs " + spec.memoryMiB() + " MiB, "
                    + (memoryMiB - used) + " MiB free of " + memoryMiB);
        }
        int id = nextId++;
        clients.put(id, new Client(spec));
        return id;
    }

    /** Drops a client and its queued kernels. */
    void detach(int clientId) {
        clients.remove(clientId);
    }

    int batchOf(int clientId) {
        return client(clientId).spec.batch();
    }

    long usedMemoryMiB() {
        long s = 0;
        for (Client c : clients.values()) {
            s += c.spec.memoryMiB();
        }
        return s;
    }

    /**
     * Queues an inference batch of {@code batch} requests; its work is the latency model's solo batch time. The
     * contention law sees the batch declared at attach time. Returns the work, ms.
     */
    double submitBatch(int clientId, long tag, int batch, double atMs) {
        Client c = client(clientId);
        if (batch < 1 || batch > 4096) {
            throw new IllegalArgumentException("batch must be 1..4096, got " + batch);
        }
        double work = law.soloBatchMs(c.spec.modelName(), batch);
        enqueue(c, tag, atMs, work);
        return work;
    }

    /** Queues a kernel of {@code workMs} (ms on a whole idle GPU). */
    void submitWork(int clientId, long tag, double workMs, double atMs) {
        if (!(workMs > 0) || Double.isInfinite(workMs)) {
            throw new IllegalArgumentException("work must be a positive number of ms, got " + workMs);
        }
        enqueue(client(clientId), tag, atMs, workMs);
    }

    private void enqueue(Client c, long tag, double atMs, double work) {
        if (atMs < nowMs - EPS) {
            throw new IllegalArgumentException("submission at " + atMs + " ms is before engine time " + nowMs);
        }
        Kernel k = new Kernel(tag, Math.max(atMs, nowMs), work);
        if (c.queue.isEmpty()) {
            k.startedMs = k.submittedMs;
        }
        c.queue.add(k);
    }

    private Client client(int id) {
        Client c = clients.get(id);
        if (c == null) {
            throw new IllegalArgumentException("no client " + id);
        }
        return c;
    }

    /** Model time of the next completion if nothing else is submitted, or +Infinity when idle. */
    double nextCompletionMs() {
        List<Client> active = active();
        if (active.isEmpty()) {
            return Double.POSITIVE_INFINITY;
        }
        double[] r = rates(active);
        double dt = Double.POSITIVE_INFINITY;
        for (int i = 0; i < active.size(); i++) {
            dt = Math.min(dt, active.get(i).queue.peek().remaining / r[i]);
        }
        return nowMs + dt;
    }

    /** Advances model time to {@code toMs} and returns the kernels completed on the way, in completion order. */
    List<Completion> advanceTo(double toMs) {
        List<Completion> done = new ArrayList<>();
        while (nowMs < toMs) {
            List<Client> active = active();
            if (active.isEmpty()) {
                nowMs = toMs;
                break;
            }
            double[] r = rates(active);
            double dt = toMs - nowMs;
            for (int i = 0; i < active.size(); i++) {
                dt = Math.min(dt, active.get(i).queue.peek().remaining / r[i]);
            }
            double t = nowMs + dt;
            busyMs += dt;
            for (int i = 0; i < active.size(); i++) {
                Client c = active.get(i);
                Kernel k = c.queue.peek();
                k.remaining -= dt * r[i];
                c.busyMs += dt;
                if (k.remaining <= EPS * Math.max(1, r[i])) {
                    c.queue.poll();
                    c.completed++;
                    done.add(new Completion(idOf(c), k.tag, k.submittedMs, k.startedMs, t));
                    Kernel next = c.queue.peek();
                    if (next != null) {
                        next.startedMs = t;
                    }
                }
            }
            nowMs = t;
        }
        return done;
    }

    private int idOf(Client c) {
        for (Map.Entry<Integer, Client> e : clients.entrySet()) {
            if (e.getValue() == c) {
                return e.getKey();
            }
        }
        throw new IllegalStateException("client vanished");
    }

    private List<Client> active() {
        List<Client> a = new ArrayList<>();
        for (Client c : clients.values()) {
            if (!c.queue.isEmpty()) {
                a.add(c);
            }
        }
        return a;
    }

    private double[] rates(List<Client> active) {
        List<ContentionLaw.Active> view = new ArrayList<>(active.size());
        for (Client c : active) {
            ClientSpec s = c.spec;
            view.add(new ContentionLaw.Active(s.kind(), s.context(), s.capPercent(), s.modelName(), s.batch()));
        }
        return law.rates(view);
    }

    /** One line per client for STATUS: id, pid, kind, context, cap, memory, queued kernels, completed, busy ms. */
    List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(java.util.Locale.ROOT, "gpu now_ms=%.3f busy_ms=%.3f memory_used_mib=%d memory_mib=%d clients=%d",
                nowMs, busyMs, usedMemoryMiB(), memoryMiB, clients.size()));
        for (Map.Entry<Integer, Client> e : clients.entrySet()) {
            Client c = e.getValue();
            ClientSpec s = c.spec;
            lines.add(String.format(java.util.Locale.ROOT,
                    "client id=%d pid=%d kind=%s context=%s cap=%d memory_mib=%d model=%s queued=%d completed=%d busy_ms=%.3f",
                    e.getKey(), s.pid(), s.kind().wire(), s.context(), s.capPercent(), s.memoryMiB(), s.modelName(),
                    c.queue.size(), c.completed, c.busyMs));
        }
        return lines;
    }
}
