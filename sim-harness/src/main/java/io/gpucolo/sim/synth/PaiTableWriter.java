package io.gpucolo.sim.synth;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes a {@link PaiSynth} trace as headerless PAI 2020 tables in a directory: {@code pai_job_table.csv},
 * {@code pai_task_table.csv}, {@code pai_sensor_table.csv} (GPU utilization only; other sensor columns
 * empty) and {@code pai_machine_spec.csv} (the real spec's GPU types, scaled).
 */
public final class PaiTableWriter {
    private PaiTableWriter() {
    }

    /** Writes the tables; returns the number of task rows. */
    public static long write(PaiSynth synth, Path dir) {
        try {
            Files.createDirectories(dir);
            writeSpec(synth, dir.resolve("pai_machine_spec.csv"));
            try (BufferedWriter jobs = Files.newBufferedWriter(dir.resolve("pai_job_table.csv"), StandardCharsets.UTF_8);
                 BufferedWriter tasks = Files.newBufferedWriter(dir.resolve("pai_task_table.csv"), StandardCharsets.UTF_8);
                 BufferedWriter sensors = Files.newBufferedWriter(dir.resolve("pai_sensor_table.csv"), StandardCharsets.UTF_8)) {
                long[] n = {0};
                StringBuilder sb = new StringBuilder(256);
                synth.generate((job, task, inst, status, start, end, mem, gpu, type, user, util) -> {
                    try {
                        String endText = end < 0 ? "" : Long.toString(end);
                        sb.setLength(0);
                        sb.append(job).append(",inst").append(n[0]).append(',').append(user).append(',').append(status)
                                .append(',').append(start).append(',').append(endText).append('\n');
                        jobs.append(sb);
                        sb.setLength(0);
                        sb.append(job).append(',').append(task).append(',').append(inst).append(',').append(status)
                                .append(',').append(start).append(',').append(endText).append(",600,")
                                .append(String.format(Locale.ROOT, "%.1f", mem)).append(',')
                                .append(Double.isNaN(gpu) ? "" : Long.toString((long) gpu)).append(',')
                                .append(type).append('\n');
                        tasks.append(sb);
                        if (!Double.isNaN(gpu)) {
                            sb.setLength(0);
                            sb.append(job).append(',').append(task).append(",w").append(n[0]).append(",inst")
                                    .append(n[0]).append(",m0,").append(type).append(",,")
                                    .append(String.format(Locale.ROOT, "%.2f", util)).append(",,,,,,,,\n");
                            sensors.append(sb);
                        }
                        n[0]++;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                return n[0];
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the synthetic trace into " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void writeSpec(PaiSynth synth, Path file) throws IOException {
        int[] machines = synth.machines();
        SplittableRandom names = new SplittableRandom(synth.spec().seed() ^ 0x5eedL);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int t = 0; t < machines.length; t++) {
                for (int m = 0; m < machines[t]; m++) {
                    w.append(String.format("%016x%08x", names.nextLong(), t * 100_000 + m)).append(',')
                            .append(PaiSynth.TYPES[t]).append(",96,512,")
                            .append(Integer.toString(PaiSynth.GPUS_PER_MACHINE[t])).append('\n');
                }
            }
        }
    }
}
