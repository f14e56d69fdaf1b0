package io.gpucolo.admission.model;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/** A compute node: its name, its GPUs (index order) and the Slurm partitions it belongs to. */
public record Node(String name, List<Gpu> gpus, Set<String> partitions) {
    public Node {
        Objects.requireNonNull(name, "name");
        gpus = List.copyOf(gpus);
        partitions = Set.copyOf(partitions);
        for (int i = 0; i < gpus.size(); i++) {
            GpuId id = gpus.get(i).id();
            if (!id.node().equals(name) || id.index() != i) {
                throw new IllegalArgumentException("node " + name + ": GPU at position " + i + " has id " + id
                        + ", expected " + name + ":g" + i);
            }
        }
    }
}
