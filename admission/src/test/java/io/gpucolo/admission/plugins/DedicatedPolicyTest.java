package io.gpucolo.admission.plugins;

import static io.gpucolo.admission.plugins.FirstFitPolicyTest.placed;
import static io.gpucolo.admission.testing.Fixtures.gpu;
import static io.gpucolo.admission.testing.Fixtures.request;
import static io.gpucolo.admission.testing.Fixtures.resident;
import static io.gpucolo.admission.testing.Fixtures.service;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gpucolo.admission.model.Decision;
import io.gpucolo.admission.pipeline.Admission;
import io.gpucolo.admission.pipeline.Evaluation;
import io.gpucolo.admission.pipeline.Status;
import io.gpucolo.admission.policy.Policy;
import io.gpucolo.admission.state.ClusterState;
import io.gpucolo.admission.testing.Fixtures;
import io.gpucolo.admission.testing.LinearLatencyModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Policy {@code dedicated}: training only on GPUs without inference and without another guest, at 100%. */
class DedicatedPolicyTest {
    private final ClusterState state = Fixtures.cluster().node("a", 2, 16_000).state();
    private final Admission admission = new Admission(Policies.byName("dedicated", Policy.defaults(), new LinearLatencyModel()));

    DedicatedPolicyTest() {
        state.addService(gpu("a:g0"), resident("s0", service("web", 20, 2000), 0));
    }

    @Test
    void givesAWholeFreeGpuAndNeverShares() {
        assertEquals(List.of(0, 100), state.gpus().stream().map(admission::freePercent).toList());
        Decision d = admission.admit(request("j1", 30, 2000), state, (r, p) -> Status.success());
        assertEquals(gpu("a:g1"), placed(d));
        assertEquals(100, ((Decision.Admit) d).placement().mpsPercent());
        Evaluation e = admission.evaluate(request("j2", 10, 1000), state);
        assertEquals(new Decision.Defer("j2", "no GPU has room now (dedicated or guest limit: 2 GPUs)"), e.decision());
        assertEquals(Status.Code.NO_ROOM_NOW, e.verdicts().get(0).status().code());
        assertEquals("serves inference: never shared under dedicated", e.verdicts().get(0).note());
        assertEquals("guests", e.verdicts().get(1).status().plugin());
    }

    @Test
    void shareBoundsDoNotApplyToAWholeGpu() {
        assertEquals(gpu("a:g1"), placed(admission.decide(request("j1", 100, 2000), state)));
    }
}
