package io.gpucolo.admission.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gpucolo.admission.inventory.ClusterFile;
import io.gpucolo.admission.model.TrainingRequest;
import io.gpucolo.admission.policy.Policy;
import io.gpucolo.admission.state.ClusterState;
import io.gpucolo.admission.testing.LinearLatencyModel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dry run's text: decision, one line per GPU (chosen, feasible by score, filtered) and a summary. */
class ExplanationFormatterTest {
    private static final String CLUSTER = """
            services:
              - {name: web, model: m10, slo_p99_ms: 20, memory_mib: 2000, nominal_load: {requests_per_second: 0, batch: 1}}
            nodes:
              - name: n1
                gpus:
                  - model: T4-16GB
                    services: [{job: "1", service: web, load: {requests_per_second: 50, batch: 1}}]
                  - model: T4-16GB
                    services: [{job: "2", service: web}]
                  - model: P100-16GB
              - name: n2
                gpus:
                  - {model: custom, memory_mib: 4000, sm_count: 10}
            """;

    private final DryRun dry = new DryRun(new LinearLatencyModel());
    private final ClusterState state = ClusterFile.parse(CLUSTER, "c.yaml", List.of()).state();

    private static TrainingRequest request(int share, long mem) {
        return new TrainingRequest("42", "alice", share, mem, Duration.ofHours(2), true, "gpu", "", "");
    }

    @Test
    void explainsAnAdmission() {
        String text = new ExplanationFormatter(40).format(dry.evaluate(Policy.defaults(), null, state, request(20, 8192)));
        assertEquals("""
                job 42 (owner alice): share 20%, memory 8192 MiB, expected 2h, restartable, partition gpu
                policy: headroom, 4 GPUs
                decision: ADMIT on n1:g1 at 20% MPS, memory limit 8192 MiB

                GPU                          verdict                           free score  why
                n1:g1                        CHOSEN                             80%    53  service web (job 2) binds: p99 18.00 ms with +80%, 18.10 ms with +81%, limit 18.00 ms
                n1:g2                        fits, scored                       90%    40  no inference here: the 90% share ceiling binds
                n1:g0                        filtered: headroom [no room now]   12%     -  training share 0% + 20% would exceed the 12% this GPU allows now (free 12%); service web (job 1) binds: p99 17.92 ms with +12%, 18.08 ms with +13%, limit 18.00 ms
                n2:g0                        filtered: memory [never fits]      90%     -  needs 8192 MiB; GPU has 4000 MiB in all (512 MiB reserved); no inference here: the 90% share ceiling binds
                summary: 2 fit, 1 never fits (memory), 1 no room now (headroom)
                """, text);
    }

    @Test
    void explainsARefusalBeforeAnyGpu() {
        String text = new ExplanationFormatter(40).format(dry.evaluate(Policy.defaults(), "first-fit", state, request(95, 100)));
        assertEquals("""
                job 42 (owner alice): share 95%, memory 100 MiB, expected 2h, restartable, partition gpu
                policy: first-fit, refused before any GPU was examined
                decision: REJECT (not under this policy): share-bounds: training share 95% is outside the policy's bounds 10..90%
                pre-filter share-bounds: training share 95% is outside the policy's bounds 10..90% [forbidden]
                """, text);
    }

    @Test
    void limitsTheGpuLines() {
        String text = new ExplanationFormatter(1).format(dry.evaluate(Policy.defaults(), null, state, request(20, 1000)));
        assertEquals(true, text.contains("... 3 more GPUs (use --all to list every GPU)\n"), text);
        assertEquals(true, text.endsWith("summary: 3 fit, 1 no room now (headroom)\n"), text);
    }
}
