package io.gpucolo.admission.inventory;

import io.gpucolo.admission.model.Cluster;
import io.gpucolo.admission.model.Gpu;
import io.gpucolo.admission.model.GpuId;
import io.gpucolo.admission.model.Node;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the Alibaba PAI 2020 machine table ({@code pai_machine_spec.csv}, headerless; columns
 * {@code machine,gpu_type,cap_cpu,cap_mem,cap_gpu}) into a {@link Cluster}. Each machine becomes a node
 * named after it, in the partition named by its {@code gpu_type} in lower case, with {@code cap_gpu} GPUs of
 * the model {@link GpuModels#forPaiType} gives; {@code CPU} machines become nodes without GPUs. A header
 * line equal to the column names is skipped. Every bad line is reported as {@code FILE:LINE:COLUMN: message}.
 */
public final class PaiMachineSpec {
    /** The column names, in order. */
    public static final List<String> COLUMNS = List.of("machine", "gpu_type", "cap_cpu", "cap_mem", "cap_gpu");
    private static final int MAX_GPUS_PER_MACHINE = 64;
    private static final int MAX_PROBLEMS = 50;

    private PaiMachineSpec() {
    }

    public static Cluster read(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(r, file.toString());
        } catch (java.nio.charset.MalformedInputException e) {
            throw new InventoryException(List.of(file + ":1:1: not UTF-8 text"));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InventoryException(List.of(file + ":1:1: no such file"));
        } catch (IOException e) {
            throw new InventoryException(List.of(file + ":1:1: cannot read: " + e.getMessage()));
        }
    }

    /** Reads the table from {@code in}; {@code name} is the file name used in messages. */
    public static Cluster read(Reader in, String name) throws IOException {
        BufferedReader br = in instanceof BufferedReader b ? b : new BufferedReader(in);
        List<String> problems = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String line;
        int lineNo = 0;
        while ((line = br.readLine()) != null && problems.size() < MAX_PROBLEMS) {
            lineNo++;
            if (line.isBlank() || (lineNo == 1 && line.strip().equals(String.join(",", COLUMNS)))) {
                continue;
            }
            parseLine(line, name, lineNo, problems, seen).ifPresent(nodes::add);
        }
        if (nodes.isEmpty() && problems.isEmpty()) {
            problems.add(name + ":1:1: no machines: expected lines " + String.join(",", COLUMNS));
        }
        if (!problems.isEmpty()) {
            throw new InventoryException(problems);
        }
        return new Cluster(nodes);
    }

    private static Optional<Node> parseLine(String line, String file, int lineNo, List<String> problems,
                                            Set<String> seen) {
        String[] f = line.split(",", -1);
        int[] col = new int[f.length];
        for (int i = 1; i < f.length; i++) {
            col[i] = col[i - 1] + f[i - 1].length() + 1;
        }
        String at = file + ":" + lineNo + ":";
        if (f.length != COLUMNS.size()) {
            problems.add(at + "1: expected " + COLUMNS.size() + " columns (" + String.join(",", COLUMNS)
                    + "), found " + f.length);
            return Optional.empty();
        }
        int before = problems.size();
        String machine = f[0].strip();
        try {
            new GpuId(machine, 0);
        } catch (IllegalArgumentException e) {
            problems.add(at + (col[0] + 1) + ": machine: " + e.getMessage());
        }
        if (!seen.add(machine)) {
            problems.add(at + (col[0] + 1) + ": machine '" + machine + "' appears twice");
        }
        String type = f[1].strip();
        boolean cpu = type.equals("CPU");
        Optional<GpuModels.Spec> spec = GpuModels.forPaiType(type);
        if (!cpu && spec.isEmpty()) {
            problems.add(at + (col[1] + 1) + ": unknown gpu_type '" + type + "'; known: CPU, "
                    + String.join(", ", GpuModels.paiTypes()));
        }
        number(f[2], "cap_cpu", 0, 100_000, at, col[2], problems);
        number(f[3], "cap_mem", 0, 100_000_000, at, col[3], problems);
        long gpus = number(f[4], "cap_gpu", 0, MAX_GPUS_PER_MACHINE, at, col[4], problems);
        if (problems.size() > before) {
            return Optional.empty();
        }
        if (cpu != (gpus == 0)) {
            problems.add(at + (col[4] + 1) + ": cap_gpu " + gpus + " does not match gpu_type " + type
                    + (cpu ? " (a CPU machine has 0 GPUs)" : " (a GPU machine has at least 1)"));
            return Optional.empty();
        }
        List<Gpu> list = new ArrayList<>((int) gpus);
        for (int i = 0; i < gpus; i++) {
            GpuModels.Spec s = spec.orElseThrow();
            list.add(new Gpu(new GpuId(machine, i), s.model(), s.memoryMiB(), s.smCount()));
        }
        return Optional.of(new Node(machine, list, Set.of(type.toLowerCase(Locale.ROOT))));
    }

    private static long number(String text, String column, long min, long max, String at, int col,
                               List<String> problems) {
        String t = text.strip();
        try {
            long v = Long.parseLong(t);
            if (v < min || v > max) {
                problems.add(at + (col + 1) + ": " + column + " " + v + " is out of range " + min + ".." + max);
            }
            return v;
        } catch (NumberFormatException e) {
            problems.add(at + (col + 1) + ": " + column + " must be a whole number, got '" + t + "'");
            return -1;
        }
    }
}
