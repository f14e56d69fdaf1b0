package io.gpucolo.admission.plugins;

import static io.gpucolo.admission.testing.Fixtures.gpu;
import static io.gpucolo.admission.testing.Fixtures.guest;
import static io.gpucolo.admission.testing.Fixtures.request;
import static io.gpucolo.admission.testing.Fixtures.resident;
import static io.gpucolo.admission.testing.Fixtures.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.gpucolo.admission.model.Decision;
import io.gpucolo.admission.model.Placement;
import io.gpucolo.admission.model.ServiceLoad;
import io.gpucolo.admission.pipeline.Admission;
import io.gpucolo.admission.pipeline.Evaluation;
import io.gpucolo.admission.pipeline.GpuVerdict;
import io.gpucolo.admission.pipeline.Status;
import io.gpucolo.admission.policy.Policy;
import io.gpucolo.admission.state.ClusterState;
import io.gpucolo.admission.testing.Fixtures;
import io.gpucolo.admission.testing.LinearLatencyModel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Policy {@code headroom} with the closed-form test model (p99 = 10 ms × (1 + rps/100) × (1 + T/100)),
 * SLO 20 ms, default margins (SLO margin 10% → limit 18 ms; burst margin 20%), share bounds 10..90%.
 */
class HeadroomPolicyTest {
    private final ClusterState state = Fixtures.cluster().node("a", 3, 16_000).state();
    private final Admission admission = new Admission(Policies.byName("headroom", Policy.defaults(), new LinearLatencyModel()));

    HeadroomPolicyTest() {
        var web = service("web", 20, 2000);
        // a:g0: rps 50, planned 60 → 16 × (1 + T/100) <= 18 → T <= 12.5 → 12%
        state.addService(gpu("a:g0"), resident("s0", web, 50));
        // a:g1: rps 0 → 10 × (1 + T/100) <= 18 → T <= 80 → 80%
        state.addService(gpu("a:g1"), resident("s1", web, 0));
        // a:g2: no inference → the 90% share ceiling
    }

    @Test
    void capacityFollowsTheLatencyModelWithMargins() {
        assertEquals(List.of(12, 80, 90), state.gpus().stream().map(admission::freePercent).toList());
    }

    @Test
    void choosesTheTightestFitAndScoresEveryFeasibleGpu() {
        Evaluation e = admission.evaluate(request("j1", 10, 2000), state);
        assertEquals(new Decision.Admit("j1", new Placement("j1", gpu("a:g0"), 10, 2000)), e.decision());
        // score = round((100 - (free - 10)) / 2 + 50 × (used + 2000) / 16000)
        assertEquals(List.of(62, 28, 16), e.verdicts().stream().map(GpuVerdict::score).toList());
        assertEquals(List.of(true, false, false), e.verdicts().stream().map(GpuVerdict::chosen).toList());
    }

    @Test
    void skipsGpusWithoutEnoughHeadroom() {
        Evaluation e = admission.evaluate(request("j1", 20, 2000), state);
        assertEquals(gpu("a:g1"), ((Decision.Admit) e.decision()).placement().gpu());
        GpuVerdict g0 = e.verdicts().get(0);
        assertEquals(Status.Code.NO_ROOM_NOW, g0.status().code());
        assertEquals("headroom", g0.status().plugin());
        assertEquals("training share 0% + 20% would exceed the 12% this GPU allows now (free 12%)", g0.status().reason());
        assertEquals(33, e.verdicts().get(1).score());
    }

    @Test
    void defersWhenNoGpuHasHeadroomNowAndRejectsWhatCanNeverFit() {
        assertEquals(gpu("a:g2"), ((Decision.Admit) admission.admit(request("big", 85, 2000), state, (r, p) -> Status.success()))
                .placement().gpu());
        assertEquals(new Decision.Defer("big2", "no GPU has room now (headroom or guest limit: 3 GPUs)"),
                admission.decide(request("big2", 85, 2000), state));
        assertEquals(new Decision.Reject("huge", "memory: job needs 20000 MiB of GPU memory; the largest GPU offers "
                + "15488 MiB (16000 MiB less a 512 MiB reserve)", false), admission.decide(request("huge", 50, 20_000), state));
        assertEquals(new Decision.Reject("wide", "headroom: policy headroom allows at most 90% training share on a GPU; "
                + "job asks 95%", true), admission.decide(request("wide", 95, 1000), state));
        assertEquals(new Decision.Reject("thin", "share-bounds: training share 5% is outside the policy's bounds 10..90%",
                true), admission.decide(request("thin", 5, 1000), state));
    }

    @Test
    void colocationRuleRefusesOtherPartitions() {
        Policy p = Policy.defaults();
        p = new Policy(p.services(), new Policy.Colocation(java.util.Set.of("shared"), java.util.Set.of(), java.util.Set.of()),
                p.placement(), p.margins(), p.limits(), p.eviction(), p.controller(), p.failure(), p.admitd(), p.noded(), p.slurm());
        Admission a = new Admission(Policies.byName("headroom", p, new LinearLatencyModel()));
        var r = new io.gpucolo.admission.model.TrainingRequest("j", "alice", 20, 1000, Duration.ofHours(1), false,
                "batch", "", "");
        Decision d = a.decide(r, state);
        assertEquals(new Decision.Reject("j", "colocation: partition 'batch', QOS '', account '' may not co-locate "
                + "training (allowed: partitions [shared], QOS [], accounts [])", true), d);
    }

    @Test
    void headroomShrinksWithLoadAndEvictsRestartableNewestFirst() {
        Policy noBurst = Policy.defaults().withMargins(new Policy.Margins(0.10, 0.0, Duration.ofMinutes(5), Duration.ofHours(1)));
        Admission a = new Admission(Policies.byName("headroom", noBurst, new LinearLatencyModel()));
        state.addGuest(gpu("a:g1"), guest("old-r", 20, 1000, true));
        state.addGuest(gpu("a:g1"), guest("mid-nr", 20, 1000, false));
        state.addGuest(gpu("a:g1"), guest("new-r", 10, 1000, true));
        assertEquals(List.of(), a.evictions(gpu("a:g1"), state));
        // rps 30 → 13 × (1 + T/100) <= 18 → T <= 38.46 → 38%; guests hold 50%
        state.updateLoad("s1", new ServiceLoad(30, 1));
        assertEquals(List.of("new-r", "old-r"), a.evictions(gpu("a:g1"), state).stream().map(g -> g.jobId()).toList());
        // rps 100 → 20 ms even without training: no headroom at all
        state.updateLoad("s1", new ServiceLoad(100, 1));
        assertEquals(List.of("new-r", "old-r", "mid-nr"),
                a.evictions(gpu("a:g1"), state).stream().map(g -> g.jobId()).toList());
        assertFalse(a.evictions(gpu("a:g2"), state).iterator().hasNext());
    }
}
