package io.gpucolo.sim.traces;

import io.gpucolo.admission.model.Cluster;
import io.gpucolo.admission.model.Gpu;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the simulator needs of a cluster: how many GPUs of each type it has. With a cluster, the GPU
 * count is a hard limit (jobs queue when nothing fits); without one, GPUs are opened on demand as in the
 * paper, and the count needed is the result.
 *
 * @param gpusByType GPU count per type name, in first-seen order
 */
public record ClusterSpec(Map<String, Integer> gpusByType) {
    public ClusterSpec {
        gpusByType = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(gpusByType));
        for (Map.Entry<String, Integer> e : gpusByType.entrySet()) {
            if (e.getKey().isEmpty() || e.getValue() < 0) {
                throw new IllegalArgumentException("bad GPU type entry " + e);
            }
        }
        if (total(gpusByType) == 0) {
            throw new IllegalArgumentException("the cluster has no GPU");
        }
    }

    private static int total(Map<String, Integer> m) {
        int t = 0;
        for (int c : m.values()) {
            t += c;
        }
        return t;
    }

    public int totalGpus() {
        return total(gpusByType);
    }

    /** The type list for {@link TraceOptions}: {@code ""} first, then this cluster's types. */
    public List<String> typeList() {
        List<String> l = new ArrayList<>();
        l.add("");
        l.addAll(gpusByType.keySet());
        return l;
    }

    /** From the admission model's inventory (e.g. the PAI 2020 machine spec read by the admission core). */
    public static ClusterSpec of(Cluster cluster) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Gpu g : cluster.gpus()) {
            m.merge(g.model(), 1, Integer::sum);
        }
        return new ClusterSpec(m);
    }
}
