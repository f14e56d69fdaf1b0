package io.gpucolo.node.probe;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** One GPU as the probe found it. */
record GpuInfo(int index, String name, int smCount, long memoryMiB, int ccMajor, int ccMinor, String uuid) {
    GpuInfo {
        Objects.requireNonNull(name, "name");
        if (index < 0 || smCount < 1 || memoryMiB < 1) {
            throw new IllegalArgumentException("implausible GPU " + index + ": " + smCount + " SMs, " + memoryMiB + " MiB");
        }
    }

    /** The model name in the inventory's form: letters, digits and dashes (e.g. {@code NVIDIA-H100-80GB-HBM3}). */
    String model() {
        return name.trim().replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    /**
     * The probe's output: a node entry of the cluster-state file ({@code etc/cluster.yaml.example}, read by
     * {@code ClusterFile}), with what that format does not hold as comments.
     */
    static String yaml(String node, List<GpuInfo> gpus) {
        StringBuilder sb = new StringBuilder();
        sb.append("# gpucolo probe: ").append(gpus.size()).append(" GPU(s)\n");
        sb.append("nodes:\n  - name: ").append(node).append("\n    gpus:\n");
        for (GpuInfo g : gpus) {
            sb.append(String.format(Locale.ROOT, "      - model: %s\n        memory_mib: %d\n        sm_count: %d\n"
                    + "        # index %d, compute capability %d.%d, uuid %s, name \"%s\"\n",
                    g.model(), g.memoryMiB(), g.smCount(), g.index(), g.ccMajor(), g.ccMinor(),
                    g.uuid() == null ? "unknown" : g.uuid(), g.name()));
        }
        return sb.toString();
    }
}
