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

/** Policy {@code static-share}: 30% (the default split) beside inference whatever its load; 90% elsewhere. */
class StaticSharePolicyTest {
    private final ClusterState state = Fixtures.cluster().node("a", 2, 16_000).state();
    private final Admission admission = new Admission(Policies.byName("static-share", Policy.defaults(), new LinearLatencyModel()));

    StaticSharePolicyTest() {
        state.addService(gpu("a:g0"), resident("s0", service("web", 20, 2000), 1000));   // heavy load: ignored
    }

    @Test
    void fixedSplitIgnoresLoad() {
        assertEquals(List.of(30, 90), state.gpus().stream().map(admission::freePercent).toList());
    }

    @Test
    void fillsTheSplitThenGoesElsewhere() {
        Status ok = Status.success();
        assertEquals(gpu("a:g0"), placed(admission.admit(request("j1", 20, 2000), state, (r, p) -> ok)));
        Evaluation e = admission.evaluate(request("j2", 20, 2000), state);
        assertEquals(gpu("a:g1"), placed(e.decision()));
        assertEquals(Status.noRoomNow("static-share", "training share 20% + 20% would exceed the 30% this GPU allows "
                + "now (free 10%)"), e.verdicts().get(0).status());
        assertEquals(gpu("a:g0"), placed(admission.decide(request("j3", 10, 2000), state)));
    }
}
