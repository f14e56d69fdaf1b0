package io.gpucolo.admission.inventory;

import static io.gpucolo.admission.testing.Fixtures.gpu;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpucolo.admission.model.InferenceService;
import io.gpucolo.admission.model.ServiceLoad;
import io.gpucolo.admission.state.ClusterState;
import io.gpucolo.admission.state.GpuState;
import io.gpucolo.admission.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterFileTest {
    private static final String SERVICES = """
            services:
              - name: web
                model: m10
                slo_p99_ms: 20
                memory_mib: 2000
                nominal_load: {requests_per_second: 50, batch: 2}
            """;

    @Test
    void readsTheExampleFile() {
        Path example = Path.of(System.getProperty("gpucolo.root", "../.."), "etc", "cluster.yaml.example");
        ClusterFile.Contents c = ClusterFile.read(example, List.of());
        ClusterState s = c.state();
        assertEquals(List.of("resnet50-search", "bert-chat"), c.declaredServices().stream().map(InferenceService::name).toList());
        assertEquals(4, s.gpuCount());
        GpuState g1 = s.gpu(gpu("gpu01:g1")).orElseThrow();
        assertEquals("A100-80GB", g1.gpu().model());
        assertEquals(81920, g1.gpu().memoryMiB());
        assertEquals(new ServiceLoad(100, 8), g1.services().get(0).load());
        assertEquals(20, g1.trainingPercent());
        assertEquals(new ServiceLoad(50, 4), s.gpu(gpu("gpu02:g0")).orElseThrow().services().get(0).load());
        assertEquals(15360, s.gpu(gpu("gpu02:g1")).orElseThrow().gpu().memoryMiB());
    }

    @Test
    void residentsMayNameThePolicysServicesAndOverrideTheLoad() {
        ClusterState s = ClusterFile.parse("""
                nodes:
                  - name: n1
                    gpus:
                      - model: custom
                        memory_mib: 10000
                        sm_count: 10
                        services:
                          - {job: "7", service: web, load: {requests_per_second: 5, batch: 1}}
                        guests:
                          - {job: "8", owner: bob, share_percent: 30, memory_mib: 1000}
                """, "c.yaml", List.of(Fixtures.service("web", 20, 2000))).state();
        GpuState g = s.gpu(gpu("n1:g0")).orElseThrow();
        assertEquals("custom", g.gpu().model());
        assertEquals(new ServiceLoad(5, 1), g.services().get(0).load());
        assertEquals(false, g.guests().get(0).restartable());
        assertEquals(3000, g.usedMemoryMiB());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // unknown service
            "'nodes:\n  - name: n1\n    gpus:\n      - model: T4-16GB\n        services:\n          - {job: \"1\", service: chat}\n'"
                    + "| c.yaml:6:33: nodes[0].gpus[0].services[0].service: unknown service 'chat'; declared: web",
            // unknown GPU model without sizes
            "'nodes:\n  - name: n1\n    gpus:\n      - model: Z9\n'"
                    + "| c.yaml:4:16: nodes[0].gpus[0].model: unknown GPU model 'Z9': give memory_mib and sm_count, or use one of A100-40GB, A100-80GB, H100-80GB, MISC, P100-16GB, RTX3090, T4-16GB, V100-16GB, V100-32GB",
            // wrong type
            "'nodes:\n  - name: n1\n    gpus:\n      - {model: T4-16GB, memory_mib: lots}\n'"
                    + "| c.yaml:4:38: nodes[0].gpus[0].memory_mib: expected a whole number, got a string 'lots'",
            // share above 100
            "'nodes:\n  - name: n1\n    gpus:\n      - model: T4-16GB\n        guests:\n          - {job: \"1\", owner: b, share_percent: 150, memory_mib: 10}\n'"
                    + "| c.yaml:6:49: nodes[0].gpus[0].guests[0].share_percent: 150 is out of range: must be 1..100",
            // unknown key
            "'nodes:\n  - name: n1\n    gpuz: []\n'"
                    + "| c.yaml:3:5: unknown key 'nodes[0].gpuz' (did you mean 'gpus'?)",
            // memory overcommitted
            "'nodes:\n  - name: n1\n    gpus:\n      - model: T4-16GB\n        guests:\n          - {job: \"1\", owner: b, share_percent: 10, memory_mib: 16000}\n'"
                    + "| c.yaml:4:9: GPU n1:g0 holds 16000 MiB of services and guests but has only 15360 MiB",
            // duplicate job ids
            "'nodes:\n  - name: n1\n    gpus:\n      - model: T4-16GB\n        guests:\n          - {job: \"1\", owner: b, share_percent: 10, memory_mib: 10}\n          - {job: \"1\", owner: b, share_percent: 10, memory_mib: 10}\n'"
                    + "| c.yaml:7:19: nodes[0].gpus[0].guests[1].job: job '1' appears twice",
    })
    void badInputIsReportedWithLineAndColumn(String text, String expected) {
        var e = assertThrows(InventoryException.class,
                () -> ClusterFile.parse(SERVICES + text, "c.yaml", List.of()));
        // the services block above is 6 lines long
        String[] parts = expected.strip().split(":", 4);
        String shifted = parts[0] + ":" + (Integer.parseInt(parts[1]) + 6) + ":" + parts[2] + ":" + parts[3];
        assertEquals(List.of(shifted), e.problems());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'nodes: [\n'  | c.yaml:2:1: YAML syntax error: while parsing a flow node: expected the node content, but found '<stream end>'",
            "'- 1\n'       | c.yaml:1:1: a cluster file is a mapping of services: and nodes:, not a list",
            "'a: &x [*x]\n'| c.yaml:1:1: unknown key 'a'; expected one of nodes, services",
    })
    void malformedDocumentsAreRefused(String text, String expected) {
        var e = assertThrows(InventoryException.class, () -> ClusterFile.parse(text, "c.yaml", List.of()));
        assertTrue(e.problems().contains(expected.strip()), e.problems().toString());
    }

    @Test
    void aServiceDeclaredTwiceIsRefused() {
        var e = assertThrows(InventoryException.class, () -> ClusterFile.parse(SERVICES + "nodes: [{name: n1}]\n", "c.yaml",
                List.of(Fixtures.service("web", 20, 2000))));
        assertEquals(List.of("c.yaml:2:11: services[0].name: service 'web' is already declared (by the policy or above)"), e.problems());
    }

    @Test
    void wrongEncodingsAndAliasBombsAreRefused(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path latin1 = dir.resolve("l.yaml");
        java.nio.file.Files.write(latin1, new byte[] {'n', 'o', 'd', 'e', 's', ':', ' ', (byte) 0xE9, '\n'});
        var e = assertThrows(InventoryException.class, () -> ClusterFile.read(latin1, List.of()));
        assertEquals(List.of(latin1 + ":1:8: invalid UTF-8: byte 0xE9 at offset 7; save the file as UTF-8"), e.problems());
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            bomb.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 8; i++) {
                bomb.append(i == 0 ? "" : ", ").append('*').append((char) (c - 1));
            }
            bomb.append("]\n");
        }
        var b = assertThrows(InventoryException.class, () -> ClusterFile.parse(bomb.toString(), "b.yaml", List.of()));
        assertTrue(b.getMessage().endsWith(": more than 64 aliases: refused (alias bomb?)"), b.getMessage());
    }

    @Test
    void anEmptyFileNeedsNodes() {
        var e = assertThrows(InventoryException.class, () -> ClusterFile.parse("services: []\n", "c.yaml", List.of()));
        assertEquals(List.of("c.yaml:1:1: a cluster file needs at least one node"), e.problems());
    }
}
