package io.gpucolo.sim.policies;

import io.gpucolo.sim.engine.EventQueue;
import io.gpucolo.sim.metrics.Recorder;
import io.gpucolo.sim.plant.GpuPlant;
import io.gpucolo.sim.traces.LoadSeries;
import io.gpucolo.sim.traces.TaskTable;
import java.util.Arrays;

/**
 * The simulated GPUs and what runs on them under one policy: placement on arrival (first-fit pools, whole GPUs,
 * or the admission pipeline through a {@link TrainingPlacer}), departures, queues when a cluster is full, the
 * training speed model and the inference latency bookkeeping. All state is in primitive arrays indexed by task
 * and by GPU ({@code gpu = slot * 2 + pool}); nothing is allocated per event.
 *
 * <p>Speed model: a training piece does {@code duration} of work at speed 1; on a GPU whose training tier has
 * MPS share {@code P} for requested shares summing to {@code R} and duty cycle {@code d}, it runs at
 * {@code min(1, d P / R)}. An inference piece lives exactly its trace duration once placed; its latency is
 * the plant's, re-evaluated whenever its GPU changes (membership, load window, control step), and the time it
 * spends above its SLOs (tail and mean, separately) is added up. Time spent queued counts as violation.
 */
public final class Datacenter {
    final TaskTable t;
    final PolicyKind kind;
    final GpuPlant plant;
    final LoadSeries load;
    final Recorder rec;
    final EventQueue queue;
    private final FirstFitIndex[] pools;
    private final IntQueue[] waiting;
    private final int cap;
    private final int[] provisioned;
    private final int memMiB;
    private Controller controller = Controller.NONE;
    private TrainingPlacer placer;
    private Residents residents;

    /** Told when inference tasks come and go and when the load window changes (the admission mirror). */
    public interface Residents {
        void serviceArrived(int task, int gpu);

        void serviceLeft(int task, int gpu);

        void loadWindow(long nowMs);
    }
    // per GPU
    int[] head;
    int[] nInf;
    int[] nTrain;
    int[] trainReq;
    int[] trainPct;
    double[] duty;
    private long usedShare;
    private int openTotal;
    // per task
    final int[] gpu;
    final int[] next;
    final int[] prev;
    private final long[] arrivedMs;
    private final long[] placedMs;
    private final double[] remaining;
    private final double[] speed;
    private final long[] lastMs;
    final long[] endMs;
    private final long[] pendingMs;
    final byte[] service;
    final short[] rate;
    final SloLedger slo;
    private long window = Long.MIN_VALUE;
    private double factor = 1;
    /**
     * The load factor ours places inference for: the series' peak, so that a packing that keeps every p99 SLO keeps
     * it at any hour of the day (a flat load's peak is its nominal rate, so flat runs place at the load they carry).
     */
    private final double peakFactor;

    /**
     * @param capacity    most GPUs open at once (a real cluster), or 0 for unlimited (opened on demand)
     * @param provision   for {@code separate-5to1}: GPUs of the inference and training pools, bought for the
     *                    whole replay; null otherwise
     */
    public Datacenter(TaskTable t, PolicyKind kind, GpuPlant plant, LoadSeries load, Recorder rec, EventQueue queue,
                      int memMiB, int capacity, int[] provision) {
        this.t = t;
        this.kind = kind;
        this.plant = plant;
        this.load = load;
        this.rec = rec;
        this.queue = queue;
        this.memMiB = memMiB;
        this.cap = capacity <= 0 ? Integer.MAX_VALUE : capacity;
        this.provisioned = provision;
        this.peakFactor = load.peak();
        int n = t.size();
        pools = new FirstFitIndex[kind.pools()];
        waiting = new IntQueue[kind.pools()];
        for (int p = 0; p < pools.length; p++) {
            int size = provision != null ? Math.max(1, provision[p]) : capacity > 0 ? capacity : 1024;
            pools[p] = new FirstFitIndex(size, memMiB);
            waiting[p] = new IntQueue();
        }
        growGpus(2 * Math.max(1024, pools[0].slots()));
        gpu = new int[n];
        Arrays.fill(gpu, -1);
        next = new int[n];
        prev = new int[n];
        arrivedMs = new long[n];
        placedMs = new long[n];
        remaining = new double[n];
        speed = new double[n];
        lastMs = new long[n];
        endMs = new long[n];
        pendingMs = new long[n];
        service = new byte[n];
        rate = new short[n];
        slo = new SloLedger(n);
        if (provision != null) {
            openTotal = provision[0] + (provision.length > 1 ? provision[1] : 0);
        }
    }

    public void control(Controller c) {
        controller = c;
    }

    public void placer(TrainingPlacer p) {
        placer = p;
    }

    void residents(Residents r) {
        residents = r;
    }

    public int openGpus() {
        return openTotal;
    }

    /** Slots of the shared pool (pool 0) now: the GPUs an inference task may open without the pool growing. */
    int sharedSlots() {
        return pools[0].slots();
    }

    public int waitingTasks() {
        int w = 0;
        for (IntQueue q : waiting) {
            w += q.size();
        }
        return w;
    }

    private void growGpus(int size) {
        head = grow(head, size, -1);
        nInf = grow(nInf, size, 0);
        nTrain = grow(nTrain, size, 0);
        trainReq = grow(trainReq, size, 0);
        trainPct = grow(trainPct, size, 0);
        double[] d = duty == null ? new double[0] : duty;
        duty = Arrays.copyOf(d, size);
        Arrays.fill(duty, d.length, size, 1.0);
    }

    private static int[] grow(int[] a, int size, int fill) {
        int old = a == null ? 0 : a.length;
        int[] b = a == null ? new int[size] : Arrays.copyOf(a, size);
        Arrays.fill(b, old, size, fill);
        return b;
    }

    /** A task arrives: place it now or queue it. */
    public void arrive(int i, long nowMs) {
        arrivedMs[i] = nowMs;
        boolean inf = t.isInference(i);
        if (inf) {
            service[i] = (byte) plant.serviceOf(t.job(i));
            slo.sloP99[i] = (float) plant.sloP99(service[i], t.share(i));
            slo.sloMean[i] = (float) plant.sloMean(service[i], t.share(i));
        }
        int p = kind.poolOf(inf);
        if (!waiting[p].isEmpty() || !tryPlace(i, p, nowMs)) {
            waiting[p].add(i);
        }
    }

    private boolean tryPlace(int i, int p, long nowMs) {
        boolean inf = t.isInference(i);
        if (!inf && placer != null) {
            int g = placer.place(i, nowMs);
            if (g >= 0 && (pools[g & 1].isOpen(g >> 1) || openTotal < cap)) {
                place(i, g, nowMs);
                return true;
            }
            if (g >= 0) {
                placer.released(i);     // admitted onto an unopened GPU of a full cluster: it cannot be bought
            }
        }
        boolean whole = kind.wholeGpu(inf);
        int share = whole ? 100 : t.share(i);
        int mem = whole ? memMiB : t.memoryMiB(i);
        FirstFitIndex pool = pools[p];
        int slot = whole ? -1 : pool.findOpen(share, mem, 0);
        if (inf && kind == PolicyKind.HEADROOM) {
            // ours places inference SLO-aware: skip GPUs where the newcomer would push any resident's p99 over its SLO
            for (int tries = 0; slot >= 0 && !inferenceFits(i, slot * 2 + p); tries++) {
                slot = tries < SLO_AWARE_TRIES ? pool.findOpen(share, mem, slot + 1) : -1;
            }
        }
        if (slot < 0) {
            slot = pool.lowestClosed();
            if (slot < 0 && provisioned == null && openTotal < cap) {
                pool.grow();
                growGpus(Math.max(head.length, 2 * pool.slots()));
                slot = pool.lowestClosed();
            }
            if (slot < 0 || (provisioned == null && openTotal >= cap)) {
                return false;
            }
        }
        place(i, slot * 2 + p, nowMs);
        return true;
    }

    /** Candidates ours examines for an inference task before opening a GPU. */
    static final int SLO_AWARE_TRIES = 32;

    /** Rate step of inference task {@code j} at the series' peak (what ours places inference for). */
    private int placementRate(int j) {
        return plant.rateStep(service[j], t.share(j), peakFactor);
    }

    /**
     * Whether every inference task on {@code g}, and {@code i} itself, would meet its p99 SLO with {@code i} added,
     * at the series' peak load.
     */
    private boolean inferenceFits(int i, int g) {
        int others = nInf[g];
        int tp = nTrain[g] == 0 ? 0 : trainPct[g];
        int e = plant.colocated(service[i], placementRate(i), others, tp, duty[g]);
        if (plant.p99Ms(e) > slo.sloP99[i]) {
            return false;
        }
        for (int j = head[g]; j >= 0; j = next[j]) {
            if (t.isInference(j) && plant.p99Ms(plant.colocated(service[j], placementRate(j), others, tp, duty[g])) > slo.sloP99[j]) {
                return false;
            }
        }
        return true;
    }

    /** Places task {@code i} on GPU {@code g} (the GPU has room; checked by the caller). */
    void place(int i, int g, long nowMs) {
        boolean inf = t.isInference(i);
        FirstFitIndex pool = pools[g & 1];
        int slot = g >> 1;
        boolean whole = kind.wholeGpu(inf);
        if (!pool.isOpen(slot) && provisioned == null) {
            openTotal++;
        }
        pool.take(slot, whole ? 100 : t.share(i), whole ? memMiB : t.memoryMiB(i));
        usedShare += t.share(i);
        gpu[i] = g;
        placedMs[i] = nowMs;
        prev[i] = -1;
        next[i] = head[g];
        if (head[g] >= 0) {
            prev[head[g]] = i;
        }
        head[g] = i;
        long dur = t.duration(i) * 1000;
        if (inf) {
            nInf[g]++;
            rate[i] = (short) plant.rateStep(service[i], t.share(i), factorAt(nowMs));
            slo.start(i, nowMs, nowMs - arrivedMs[i]);
            endMs[i] = nowMs + dur;
            schedule(i, endMs[i]);
            if (residents != null) {
                residents.serviceArrived(i, g);
            }
        } else {
            nTrain[g]++;
            trainReq[g] += t.share(i);
            trainPct[g] += placer != null ? placer.grantedShare(i) : t.share(i);
            remaining[i] = dur;
            lastMs[i] = nowMs;
            pendingMs[i] = Long.MAX_VALUE;
            speed[i] = 0;
            respeed(g, nowMs);
        }
        rec.gpus(nowMs, openTotal, usedShare);
        evaluate(g, nowMs);
        controller.changed(g, nowMs, true);
    }

    /** An END event for task {@code i}; returns false when it was stale (the task's end moved). */
    public boolean end(int i, long nowMs) {
        if (gpu[i] < 0) {
            return false;
        }
        if (pendingMs[i] == nowMs) {
            pendingMs[i] = Long.MAX_VALUE;
        }
        if (endMs[i] != nowMs) {
            if (endMs[i] > nowMs && pendingMs[i] > endMs[i]) {
                schedule(i, endMs[i]);
            }
            return false;
        }
        int g = gpu[i];
        boolean inf = t.isInference(i);
        if (prev[i] >= 0) {
            next[prev[i]] = next[i];
        } else {
            head[g] = next[i];
        }
        if (next[i] >= 0) {
            prev[next[i]] = prev[i];
        }
        gpu[i] = -1;
        usedShare -= t.share(i);
        if (inf) {
            nInf[g]--;
            slo.close(i, nowMs);
            if (residents != null) {
                residents.serviceLeft(i, g);
            }
            rec.inferenceDone(nowMs - arrivedMs[i], slo.tailMs(i), slo.meanMs(i));
        } else {
            nTrain[g]--;
            trainReq[g] -= t.share(i);
            trainPct[g] = nTrain[g] == 0 ? 0 : Math.max(1, trainPct[g] - (placer != null ? placer.grantedShare(i) : t.share(i)));
            if (placer != null) {
                placer.released(i);
            }
            rec.trainingDone((nowMs - arrivedMs[i]) / (t.duration(i) * 1000.0), placedMs[i] - arrivedMs[i]);
        }
        boolean whole = kind.wholeGpu(inf);
        boolean empty = head[g] < 0;
        if (empty) {
            duty[g] = 1.0;
            trainPct[g] = 0;
        }
        pools[g & 1].give(g >> 1, whole ? 100 : t.share(i), whole ? memMiB : t.memoryMiB(i), empty);
        if (empty && provisioned == null) {
            openTotal--;
        }
        rec.gpus(nowMs, openTotal, usedShare);
        if (!empty) {
            respeed(g, nowMs);
            evaluate(g, nowMs);
            controller.changed(g, nowMs, true);
        }
        drain(g & 1, nowMs);
        if (kind.pools() == 2 && provisioned == null && cap != Integer.MAX_VALUE) {
            drain(1 - (g & 1), nowMs);
        }
        return true;
    }

    /**
     * Queues an END at {@code atMs}. Only the earliest END of a task is tracked: when its end moves later, the
     * pending event stays, and on popping it the task is re-queued at its current end (no event per speed change).
     */
    private void schedule(int i, long atMs) {
        pendingMs[i] = atMs;
        queue.push(atMs, EventQueue.Kind.END, i);
    }

    private void drain(int p, long nowMs) {
        IntQueue q = waiting[p];
        while (!q.isEmpty() && tryPlace(q.peek(), p, nowMs)) {
            q.poll();
        }
    }

    /** The load window changed: new rates for every inference task, and its GPU re-evaluated. */
    public void loadStep(long nowMs) {
        factorAt(nowMs);
        if (residents != null) {
            residents.loadWindow(nowMs);
        }
        for (int g = 0; g < head.length; g++) {
            if (nInf[g] == 0) {
                continue;
            }
            for (int i = head[g]; i >= 0; i = next[i]) {
                if (t.isInference(i)) {
                    rate[i] = (short) plant.rateStep(service[i], t.share(i), factor);
                }
            }
            evaluate(g, nowMs);
            controller.changed(g, nowMs, false);
        }
    }

    private double factorAt(long nowMs) {
        long w = load.window(Math.floorDiv(nowMs, 1000));
        if (w != window) {
            window = w;
            factor = load.factor(w);
        }
        return factor;
    }

    /** Training tier of GPU {@code g} changed (share or duty): new speeds, new end times. */
    void setTier(int g, int pct, double d, long nowMs, long restartMs) {
        boolean restart = pct != trainPct[g];
        trainPct[g] = pct;
        duty[g] = d;
        if (restart && restartMs > 0) {
            for (int j = head[g]; j >= 0; j = next[j]) {
                if (!t.isInference(j)) {
                    remaining[j] += restartMs;
                }
            }
        }
        respeed(g, nowMs);
        evaluate(g, nowMs);
    }

    private void respeed(int g, long nowMs) {
        if (nTrain[g] == 0) {
            return;
        }
        double f = Math.min(1.0, duty[g] * trainPct[g] / (double) trainReq[g]);
        for (int j = head[g]; j >= 0; j = next[j]) {
            if (t.isInference(j)) {
                continue;
            }
            remaining[j] = Math.max(0, remaining[j] - speed[j] * (nowMs - lastMs[j]));
            lastMs[j] = nowMs;
            if (speed[j] != f) {
                speed[j] = f;
                endMs[j] = nowMs + (long) Math.ceil(remaining[j] / f);
                if (pendingMs[j] > endMs[j]) {
                    schedule(j, endMs[j]);
                }
            }
        }
    }

    /** Re-evaluates the latency of every inference task on {@code g} and books SLO violation time. */
    void evaluate(int g, long nowMs) {
        boolean sloAware = kind == PolicyKind.HEADROOM && (g & 1) == 0;
        if (nInf[g] == 0) {
            if (sloAware && pools[0].isOpen(g >> 1)) {
                pools[0].block(g >> 1, false);
            }
            return;
        }
        int tp = nTrain[g] == 0 ? 0 : trainPct[g];
        double worst = 0;
        boolean roomy = true;
        for (int i = head[g]; i >= 0; i = next[i]) {
            if (!t.isInference(i)) {
                continue;
            }
            int e = plant.colocated(service[i], rate[i], nInf[g] - 1, tp, duty[g]);
            worst = Math.max(worst, slo.observe(i, plant.p99Ms(e), plant.meanMs(e), nowMs));
            roomy = roomy && (!sloAware || plant.p99Ms(plant.colocated(service[i], placementRate(i), nInf[g], tp, duty[g])) <= slo.sloP99[i]);
        }
        if (sloAware) {
            // ours' inference search skips GPUs whose residents would not keep their p99 SLO with one more process
            pools[0].block(g >> 1, !roomy);
        }
        if (nTrain[g] > 0) {
            int s = rec.sampleSlot(g);
            if (s >= 0) {
                rec.latency(s, nowMs, worst);
            }
        }
    }

    /** The GPU a task runs on now, or -1. */
    public int gpuOf(int i) {
        return gpu[i];
    }

    /** Task-level outcome for tests: when a finished task was placed and on which GPU it last ran. */
    public long placedMs(int i) {
        return placedMs[i];
    }
}
