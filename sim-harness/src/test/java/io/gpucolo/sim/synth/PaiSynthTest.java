package io.gpucolo.sim.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpucolo.sim.traces.PaiTraceReader;
import io.gpucolo.sim.traces.TaskTable;
import io.gpucolo.sim.traces.TraceIssues;
import io.gpucolo.sim.traces.TraceOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PaiSynthTest {
    static final SynthSpec SMALL = new SynthSpec(0.01, 57, 7, 0.75);

    @Test
    void sameSeedSameBytesOtherSeedOtherTrace(@TempDir Path dir) throws IOException {
        PaiTableWriter.write(new PaiSynth(SMALL), dir.resolve("a"));
        PaiTableWriter.write(new PaiSynth(SMALL), dir.resolve("b"));
        PaiTableWriter.write(new PaiSynth(new SynthSpec(0.01, 57, 8, 0.75)), dir.resolve("c"));
        for (String f : List.of("pai_task_table.csv", "pai_job_table.csv", "pai_sensor_table.csv", "pai_machine_spec.csv")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(f)), Files.readAllBytes(dir.resolve("b").resolve(f)), f);
        }
        assertTrue(!Arrays.equals(Files.readAllBytes(dir.resolve("a/pai_task_table.csv")),
                Files.readAllBytes(dir.resolve("c/pai_task_table.csv"))));
    }

    @Test
    void matchesThePublishedStatisticsAtScale(@TempDir Path dir) throws IOException {
        PaiSynth s = new PaiSynth(SMALL);
        long rows = PaiTableWriter.write(s, dir);
        assertEquals(Math.round(1_260_000 * 0.01), rows);
        List<String> tasks = Files.readAllLines(dir.resolve("pai_task_table.csv"));
        assertEquals(rows, tasks.size());
        long terminated = tasks.stream().filter(l -> l.split(",", -1)[3].equals("Terminated")).count();
        assertEquals(0.95, terminated / (double) rows, 0.01);
        long maxEnd = 0;
        int fractional = 0;
        int withGpu = 0;
        for (String l : tasks) {
            String[] c = l.split(",", -1);
            assertEquals(10, c.length);
            if (!c[5].isEmpty()) {
                maxEnd = Math.max(maxEnd, Long.parseLong(c[4]));
            }
            if (!c[8].isEmpty()) {
                withGpu++;
                fractional += Integer.parseInt(c[8]) < 100 ? 1 : 0;
            }
        }
        assertTrue(maxEnd < 57 * 86_400L && maxEnd > 56 * 86_400L, "arrivals span 57 days: " + maxEnd);
        assertTrue(fractional > withGpu / 2, "most tasks ask a fraction of a GPU");
        Set<String> users = new HashSet<>();
        Files.readAllLines(dir.resolve("pai_job_table.csv")).forEach(l -> users.add(l.split(",")[2]));
        assertTrue(users.size() > 8 && users.size() <= 14, "about 1,350 x scale users: " + users.size());
        List<Double> util = new ArrayList<>();
        Files.readAllLines(dir.resolve("pai_sensor_table.csv")).forEach(l -> util.add(Double.parseDouble(l.split(",", -1)[7])));
        util.sort(null);
        double mean = util.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        assertEquals(1.5, util.get(util.size() / 2), 0.3, "median GPU utilization");
        assertEquals(10.5, mean, 2.0, "mean GPU utilization");
        int gpus = Files.readAllLines(dir.resolve("pai_machine_spec.csv")).stream()
                .mapToInt(l -> Integer.parseInt(l.split(",")[4])).sum();
        assertEquals(s.gpus(), gpus);
        assertEquals(6742, new PaiSynth(SynthSpec.full(1)).gpus() + 0, "full scale has the real spec's GPUs");
    }

    @Test
    void writtenTablesReadBackEqualTheInMemoryTable(@TempDir Path dir) {
        PaiSynth s = new PaiSynth(SMALL);
        PaiTableWriter.write(s, dir);
        TraceOptions o = TraceOptions.defaults();
        TaskTable read = new PaiTraceReader(o, new TraceIssues(true)).read(List.of(dir.resolve("pai_task_table.csv"),
                dir.resolve("pai_job_table.csv")));
        TaskTable mem = SynthTables.inMemory(s, o, new TraceIssues(true));
        assertEquals(mem.size(), read.size());
        for (int i = 0; i < mem.size(); i++) {
            assertEquals(mem.start(i), read.start(i));
            assertEquals(mem.end(i), read.end(i));
            assertEquals(mem.share(i), read.share(i));
            assertEquals(mem.memoryMiB(i), read.memoryMiB(i));
            assertEquals(mem.kind(i), read.kind(i));
            assertEquals(mem.jobName(i), read.jobName(i));
        }
        assertEquals(0.75, mem.count(TaskTable.INFERENCE) / (double) (mem.count(TaskTable.INFERENCE)
                + mem.size() - mem.count(TaskTable.INFERENCE)), 0.15);
    }
}
