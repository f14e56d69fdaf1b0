package io.gpucolo.sim.cli;

import io.gpucolo.admission.inventory.GpuModels;
import io.gpucolo.admission.inventory.PaiMachineSpec;
import io.gpucolo.sim.traces.ClusterSpec;
import io.gpucolo.sim.traces.LoadSeries;
import io.gpucolo.sim.traces.OpenbReader;
import io.gpucolo.sim.traces.TraceException;
import io.gpucolo.sim.traces.TraceIssues;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the cluster and the load files, recognizing their format by their first line. */
final class Inputs {
    private Inputs() {
    }

    static String firstLine(Path f) {
        try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            String l = r.readLine();
            if (l == null) {
                throw new TraceException(f + ": empty file");
            }
            return l.strip();
        } catch (NoSuchFileException e) {
            throw new TraceException(f + ": no such file");
        } catch (IOException e) {
            throw new TraceException(f + ": cannot read: " + e.getMessage());
        }
    }

    /** An openb node list (header {@code sn,...}) or a PAI 2020 machine spec (read by the admission core). */
    static ClusterSpec cluster(Path f, TraceIssues issues) {
        if (firstLine(f).startsWith("sn,")) {
            return OpenbReader.readNodes(f, issues);
        }
        return ClusterSpec.of(PaiMachineSpec.read(f));
    }

    /** Type names a task may ask for on this cluster: its models, and the PAI gpu_type names that map onto them. */
    static List<String> types(ClusterSpec c) {
        List<String> out = c.typeList();
        for (String pai : GpuModels.paiTypes()) {
            if (!out.contains(pai) && GpuModels.forPaiType(pai).map(s -> c.gpusByType().containsKey(s.model())).orElse(false)) {
                out.add(pai);
            }
        }
        return new ArrayList<>(out);
    }

    /** A ServeGen rate series (header {@code model,window_start_s,...}) or Azure arrivals (header {@code TIMESTAMP,...}). */
    static LoadSeries load(Path f, String model, TraceIssues issues) {
        String h = firstLine(f);
        if (h.startsWith("TIMESTAMP")) {
            return LoadSeries.azure(f, 60, issues);
        }
        if (h.startsWith("model,")) {
            return LoadSeries.servegen(f, model, issues);
        }
        throw new TraceException(f + ":1: not a ServeGen rate file (model,window_start_s,total_rate_rps,...) nor Azure "
                + "arrivals (TIMESTAMP,ContextTokens,GeneratedTokens)");
    }
}
