package io.gpucolo.admission.pipeline;

import io.gpucolo.admission.model.GpuId;
import io.gpucolo.admission.state.GpuState;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers a capacity per GPU value: a GPU's answer is computed once per version (a new value replaces
 * the entry; values are compared by identity, so two cluster states never share an answer by accident).
 * Expensive capacities (the latency model behind {@code headroom}) are then paid once per change.
 */
final class CachingCapacity implements Capacity {
    private record Entry(GpuState state, int percent) { }

    private final Capacity inner;
    private final ConcurrentHashMap<GpuId, Entry> cache = new ConcurrentHashMap<>();

    CachingCapacity(Capacity inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public int capacityPercent(GpuState gpu) {
        Entry e = cache.get(gpu.gpu().id());
        if (e != null && e.state() == gpu) {
            return e.percent();
        }
        int p = inner.capacityPercent(gpu);
        if (p < 0 || p > 100) {
            throw new IllegalStateException("capacity " + inner.name() + " returned " + p + "% for " + gpu.gpu().id());
        }
        cache.put(gpu.gpu().id(), new Entry(gpu, p));
        return p;
    }

    @Override
    public String explain(GpuState gpu) {
        return inner.explain(gpu);
    }

    @Override
    public int ceilingPercent() {
        return inner.ceilingPercent();
    }
}
