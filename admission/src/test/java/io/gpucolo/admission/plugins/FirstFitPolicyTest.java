package io.gpucolo.admission.plugins;

import static io.gpucolo.admission.testing.Fixtures.gpu;
import static io.gpucolo.admission.testing.Fixtures.request;
import static io.gpucolo.admission.testing.Fixtures.resident;
import static io.gpucolo.admission.testing.Fixtures.service;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gpucolo.admission.model.Decision;
import io.gpucolo.admission.model.Placement;
import io.gpucolo.admission.pipeline.Admission;
import io.gpucolo.admission.pipeline.Evaluation;
import io.gpucolo.admission.pipeline.GpuVerdict;
import io.gpucolo.admission.pipeline.Status;
import io.gpucolo.admission.policy.Policy;
import io.gpucolo.admission.state.ClusterState;
import io.gpucolo.admission.testing.Fixtures;
import io.gpucolo.admission.testing.LinearLatencyModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Policy {@code first-fit}: an inference service takes ceil(100 × rps/batch × solo/1000)% (solo 10 ms here),
 * training takes its requested share; the first GPU in cluster order that fits share and memory wins.
 */
class FirstFitPolicyTest {
    private final ClusterState state = Fixtures.cluster().node("a", 3, 16_000).state();
    private final Admission admission = new Admission(Policies.byName("first-fit", Policy.defaults(), new LinearLatencyModel()));

    FirstFitPolicyTest() {
        var web = service("web", 20, 2000);
        state.addService(gpu("a:g0"), resident("s0", web, 30));   // 30 × 10 / 1000 = 30%
        state.addService(gpu("a:g1"), resident("s1", web, 80));   // 80%
    }

    @Test
    void inferenceTakesItsBusyFraction() {
        assertEquals(List.of(70, 20, 100), state.gpus().stream().map(admission::freePercent).toList());
    }

    @Test
    void theFirstGpuThatFitsWinsAndOnlyItIsScored() {
        Evaluation e = admission.evaluate(request("j1", 50, 2000), state);
        assertEquals(new Decision.Admit("j1", new Placement("j1", gpu("a:g0"), 50, 2000)), e.decision());
        assertEquals(List.of(true, false, false), e.verdicts().stream().map(GpuVerdict::considered).toList());
        assertEquals(Status.Code.NO_ROOM_NOW, e.verdicts().get(1).status().code());
        assertEquals(Status.Code.SUCCESS, e.verdicts().get(2).status().code());
    }

    @Test
    void packsInClusterOrderAsRequestsArrive() {
        Status ok = Status.success();
        assertEquals(gpu("a:g0"), placed(admission.admit(request("j1", 50, 2000), state, (r, p) -> ok)));
        assertEquals(gpu("a:g0"), placed(admission.admit(request("j2", 20, 2000), state, (r, p) -> ok)));
        // a:g0 is full (100%) and a:g1 holds 80% of inference: 25% fits only on a:g2
        assertEquals(gpu("a:g2"), placed(admission.admit(request("j3", 25, 2000), state, (r, p) -> ok)));
        assertEquals(gpu("a:g1"), placed(admission.admit(request("j4", 20, 2000), state, (r, p) -> ok)));
    }

    @Test
    void memoryIsAHardConstraint() {
        // a:g0 has 16000 - 512 reserve - 2000 service = 13488 MiB free; the empty a:g2 has 15488
        Evaluation e = admission.evaluate(request("j1", 10, 14_000), state);
        assertEquals(gpu("a:g2"), placed(e.decision()));
        assertEquals(Status.noRoomNow("memory", "needs 14000 MiB; 13488 MiB free"), e.verdicts().get(0).status());
    }

    @Test
    void minimumGuestMemoryIsGranted() {
        assertEquals(1024, ((Decision.Admit) admission.decide(request("j1", 10, 100), state)).placement().memoryLimitMiB());
    }

    static io.gpucolo.admission.model.GpuId placed(Decision d) {
        return ((Decision.Admit) d).placement().gpu();
    }
}
