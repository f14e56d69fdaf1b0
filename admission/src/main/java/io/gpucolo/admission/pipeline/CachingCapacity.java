package io.gpucolo.admission.pipeline;

import io.gpucolo.admission.model.GpuId;
import io.gpucolo.admission.state.GpuState;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers each GPU's capacity until its inference services change. A capacity depends only on the GPU and
 * its services (see {@link Capacity}); {@link io.gpucolo.admission.state.ClusterState} keeps the very same
 * services list in every value it derives by adding or removing guests, so comparing the GPU record and the
 * services list by identity finds a still-valid answer. Expensive capacities (the latency model behind
 * {@code headroom}) are then paid once per service change or load update, not once per decision.
 */
final class CachingCapacity implements Capacity {
    private record Entry(Object gpu, Object services, int percent) { }

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
        if (e != null && e.gpu() == gpu.gpu() && e.services() == gpu.services()) {
            return e.percent();
        }
        int p = inner.capacityPercent(gpu);
        if (p < 0 || p > 100) {
            throw new IllegalStateException("capacity " + inner.name() + " returned " + p + "% for " + gpu.gpu().id());
        }
        cache.put(gpu.gpu().id(), new Entry(gpu.gpu(), gpu.services(), p));
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
