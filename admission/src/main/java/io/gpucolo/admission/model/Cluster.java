package io.gpucolo.admission.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The static inventory: nodes and their GPUs. Immutable; node names are unique. */
public record Cluster(List<Node> nodes) {
    public Cluster {
        nodes = List.copyOf(nodes);
        Map<String, Node> seen = new LinkedHashMap<>();
        for (Node n : nodes) {
            if (seen.put(n.name(), n) != null) {
                throw new IllegalArgumentException("duplicate node name '" + n.name() + "'");
            }
        }
    }

    public Optional<Node> node(String name) {
        for (Node n : nodes) {
            if (n.name().equals(name)) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    public Optional<Gpu> gpu(GpuId id) {
        return node(id.node()).filter(n -> id.index() < n.gpus().size()).map(n -> n.gpus().get(id.index()));
    }

    /** All GPUs in node order, then index order. */
    public List<Gpu> gpus() {
        List<Gpu> all = new ArrayList<>();
        for (Node n : nodes) {
            all.addAll(n.gpus());
        }
        return Collections.unmodifiableList(all);
    }

    public int gpuCount() {
        int c = 0;
        for (Node n : nodes) {
            c += n.gpus().size();
        }
        return c;
    }
}
