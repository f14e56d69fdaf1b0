package io.gpucolo.admission.latency;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts one ParvaGPU measurement file ({@code parvagpu-a100/<model>.csv}: {@code Mig instance,Batch size,
 * Workload Number,Throughput,Latency}) into a {@link LatencyProfile}. A MIG slice of {@code g} GPCs is a compute
 * share of {@code 100 g / 7} percent; {@code Workload Number} is the number of concurrent MPS processes in that
 * slice; the mean batch latency is taken as {@code 1000 batch / Throughput} ms (the per-process throughput is
 * given to three decimals, the latency column only to whole milliseconds). Rows with zero throughput (the
 * configuration did not fit in memory) are left out.
 *
 * <p>Data: Lee et al., "ParvaGPU", SC'24, MIT license (kept with the data in {@code ../shared/data/parvagpu-a100}).
 */
public final class ParvaGpuImport {
    public static final String GPU = "A100-80GB";
    static final String HEADER = "Mig instance,Batch size,Workload Number,Throughput,Latency";

    private ParvaGpuImport() {
    }

    public static LatencyProfile read(Path csv) throws IOException {
        String file = csv.getFileName().toString();
        String model = file.endsWith(".csv") ? file.substring(0, file.length() - 4) : file;
        List<ProfileRow> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null || !header.trim().equals(HEADER)) {
                throw new ProfileFormatException(csv.toString(), 1, "expected header '" + HEADER + "'");
            }
            int lineNo = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.trim().split(",");
                try {
                    int mig = Integer.parseInt(f[0]);
                    int batch = Integer.parseInt(f[1]);
                    int procs = Integer.parseInt(f[2]);
                    double throughput = Double.parseDouble(f[3]);
                    if (throughput > 0) {
                        rows.add(new ProfileRow(100.0 * mig / 7, batch, procs, 0, 0, 1000.0 * batch / throughput,
                                Double.NaN));
                    }
                } catch (RuntimeException e) {
                    throw new ProfileFormatException(csv.toString(), lineNo, "bad ParvaGPU row: " + e.getMessage());
                }
            }
        }
        return new LatencyProfile(GPU, model, "ParvaGPU (Lee et al., SC'24), A100-80GB MIG 1/2/3/4/7 GPCs x "
                + "batch x concurrent MPS processes, MIT license; mean = 1000 batch / throughput", rows);
    }
}
