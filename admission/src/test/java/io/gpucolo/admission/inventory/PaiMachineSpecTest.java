package io.gpucolo.admission.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gpucolo.admission.model.Cluster;
import io.gpucolo.admission.model.Gpu;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PaiMachineSpecTest {
    static Path realFile() {
        return Path.of(System.getProperty("gpucolo.shared", "../../shared"), "data", "pai-v2020", "pai_machine_spec.csv");
    }

    @Test
    void readsTheRealPai2020Table() {
        Cluster c = PaiMachineSpec.read(realFile());
        assertEquals(1897, c.nodes().size());
        assertEquals(6742, c.gpuCount());
        Map<String, Integer> byModel = new TreeMap<>();
        for (Gpu g : c.gpus()) {
            byModel.merge(g.model(), 1, Integer::sum);
        }
        // 280 MISC × 8, 798 P100 × 2, 497 T4 × 2, (45 + 59) V100 × 8, 135 V100M32 × 8
        assertEquals(Map.of("MISC", 2240, "P100-16GB", 1596, "T4-16GB", 994, "V100-16GB", 832, "V100-32GB", 1080), byModel);
        assertEquals(83, c.nodes().stream().filter(n -> n.gpus().isEmpty()).count());
        assertEquals(java.util.Set.of("v100m32"), c.nodes().stream().filter(n -> n.gpus().size() == 8
                && n.gpus().get(0).model().equals("V100-32GB")).findFirst().orElseThrow().partitions());
    }

    @Test
    void skipsAHeaderLineAndBlankLines() throws Exception {
        Cluster c = PaiMachineSpec.read(new StringReader("machine,gpu_type,cap_cpu,cap_mem,cap_gpu\nm1,T4,96,512,2\n\n"), "x.csv");
        assertEquals(2, c.gpuCount());
        assertEquals(new Gpu(new io.gpucolo.admission.model.GpuId("m1", 1), "T4-16GB", 15360, 40), c.gpus().get(1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "m1,T4,96,512          | spec.csv:1:1: expected 5 columns (machine,gpu_type,cap_cpu,cap_mem,cap_gpu), found 4",
            "m1,T4,96,512,2,9      | spec.csv:1:1: expected 5 columns (machine,gpu_type,cap_cpu,cap_mem,cap_gpu), found 6",
            "m1,T4,96,lots,2       | spec.csv:1:10: cap_mem must be a whole number, got 'lots'",
            "m1,T4,96,512,-2       | spec.csv:1:14: cap_gpu -2 is out of range 0..64",
            "m1,A800,96,512,2      | spec.csv:1:4: unknown gpu_type 'A800'; known: CPU, MISC, P100, T4, V100, V100M32",
            "m1,CPU,96,512,2       | spec.csv:1:15: cap_gpu 2 does not match gpu_type CPU (a CPU machine has 0 GPUs)",
            "m1,V100,96,512,0      | spec.csv:1:16: cap_gpu 0 does not match gpu_type V100 (a GPU machine has at least 1)",
            "bad name!,T4,96,512,2 | spec.csv:1:1: machine: invalid node name 'bad name!': use letters, digits, '.', '_' or '-'",
    })
    void badLinesAreReportedWithLineAndColumn(String line, String expected) {
        var e = assertThrows(InventoryException.class,
                () -> PaiMachineSpec.read(new StringReader(line.strip() + "\n"), "spec.csv"));
        assertEquals(List.of(expected.strip()), e.problems());
    }

    @Test
    void everyBadLineIsReportedAndDuplicatesToo() {
        var e = assertThrows(InventoryException.class, () -> PaiMachineSpec.read(
                new StringReader("m1,T4,96,512,2\nm2,T4,x,512,2\nm1,T4,96,512,2\n"), "s.csv"));
        assertEquals(List.of("s.csv:2:7: cap_cpu must be a whole number, got 'x'", "s.csv:3:1: machine 'm1' appears twice"),
                e.problems());
    }

    @Test
    void anEmptyOrMissingFileIsRefused() {
        var e = assertThrows(InventoryException.class, () -> PaiMachineSpec.read(new StringReader(""), "e.csv"));
        assertEquals("e.csv:1:1: no machines: expected lines machine,gpu_type,cap_cpu,cap_mem,cap_gpu", e.getMessage());
        var m = assertThrows(InventoryException.class, () -> PaiMachineSpec.read(Path.of("/nonexistent/spec.csv")));
        assertEquals("/nonexistent/spec.csv:1:1: no such file", m.getMessage());
    }
}
