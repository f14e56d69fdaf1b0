package io.gpucolo.admission.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Names one GPU in the cluster: a node name and the GPU's index on that node.
 * Its text form is {@code node:gN} (for example {@code vm:g2}), which is also the Slurm typed-GRES
 * type name the job_submit hook uses to pin a job to this GPU.
 */
public record GpuId(String node, int index) implements Comparable<GpuId> {
    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public GpuId {
        Objects.requireNonNull(node, "node");
        if (!NODE_NAME.matcher(node).matches()) {
            throw new IllegalArgumentException("invalid node name '" + node + "': use letters, digits, '.', '_' or '-'");
        }
        if (index < 0 || index > 1023) {
            throw new IllegalArgumentException("GPU index must be in 0..1023, got " + index);
        }
    }

    /** The Slurm GRES type that names exactly this GPU on its node: {@code g<index>}. */
    public String gresType() {
        return "g" + index;
    }

    /** Parses the text form {@code node:gN}. */
    public static GpuId parse(String text) {
        Objects.requireNonNull(text, "text");
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon + 2 > text.length() || text.charAt(colon + 1) != 'g') {
            throw new IllegalArgumentException("invalid GPU id '" + text + "': expected node:gN, e.g. vm:g2");
        }
        try {
            return new GpuId(text.substring(0, colon), Integer.parseInt(text.substring(colon + 2)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid GPU id '" + text + "': index is not a number", e);
        }
    }

    @Override
    public int compareTo(GpuId o) {
        int c = node.compareTo(o.node);
        return c != 0 ? c : Integer.compare(index, o.index);
    }

    @Override
    public String toString() {
        return node + ":g" + index;
    }
}
