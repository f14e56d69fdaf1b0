package io.gpucolo.admission.pipeline;

import static io.gpucolo.admission.testing.Fixtures.guest;
import static io.gpucolo.admission.testing.Fixtures.request;
import static io.gpucolo.admission.testing.Fixtures.resident;
import static io.gpucolo.admission.testing.Fixtures.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpucolo.admission.model.Decision;
import io.gpucolo.admission.plugins.Policies;
import io.gpucolo.admission.policy.Policy;
import io.gpucolo.admission.state.ClusterState;
import io.gpucolo.admission.testing.Fixtures;
import io.gpucolo.admission.testing.LinearLatencyModel;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fast path (candidate index, early stop) and the full per-GPU scan of {@code evaluate} agree: same
 * decision, the chosen GPU fits, a Defer has a GPU with no room now, a Reject that can never succeed has
 * only GPUs that never fit. Random clusters (seeded) of mixed memory sizes, services and guests.
 */
class EvaluateConsistencyTest {
    @ParameterizedTest
    @ValueSource(strings = {"headroom", "first-fit", "dedicated", "static-share"})
    void fastPathAndFullScanAgree(String policyName) {
        Admission admission = new Admission(Policies.byName(policyName, Policy.defaults(), new LinearLatencyModel()));
        SplittableRandom rnd = new SplittableRandom(7);
        java.util.Set<Class<?>> kinds = new java.util.HashSet<>();
        for (int round = 0; round < 40; round++) {
            ClusterState state = Fixtures.cluster().node("a", 3, 8_000).node("b", 3, 16_000).state();
            var web = service("web", 20 + rnd.nextInt(20), 1000 + rnd.nextInt(4000));
            int job = 0;
            for (int i = 0; i < state.gpuCount(); i++) {
                if (rnd.nextInt(3) > 0) {
                    state.addService(state.idAt(i), resident("s" + round + "-" + i, web, rnd.nextInt(90)));
                }
                for (int k = rnd.nextInt(3); k > 0; k--) {
                    state.addGuest(state.idAt(i), guest("g" + job++, 5 + rnd.nextInt(30), 500 + rnd.nextInt(3000), rnd.nextBoolean()));
                }
            }
            for (int q = 0; q < 10; q++) {
                var r = request("r" + q, 10 + rnd.nextInt(81), 1 + rnd.nextInt(17_000));
                Evaluation e = admission.evaluate(r, state);
                assertEquals(admission.decide(r, state), e.decision(), r.toString());
                check(e);
                kinds.add(e.decision().getClass());
            }
        }
        assertEquals(3, kinds.size(), "every kind of decision was exercised: " + kinds);
    }

    private static void check(Evaluation e) {
        if (e.verdicts().isEmpty()) {
            assertTrue(!e.preFilter().isSuccess(), "no verdicts only after a pre-filter refusal");
            return;
        }
        if (e.decision() instanceof Decision.Admit a) {
            GpuVerdict chosen = e.verdicts().stream().filter(GpuVerdict::chosen).findFirst().orElseThrow();
            assertEquals(a.placement().gpu(), chosen.gpu());
            assertTrue(chosen.status().isSuccess());
        } else if (e.decision() instanceof Decision.Defer) {
            assertTrue(e.verdicts().stream().noneMatch(v -> v.status().isSuccess()), "a feasible GPU was missed");
            assertTrue(e.verdicts().stream().anyMatch(v -> v.status().code() == Status.Code.NO_ROOM_NOW));
        } else {
            Decision.Reject j = (Decision.Reject) e.decision();
            assertTrue(e.verdicts().stream().noneMatch(v -> v.status().isSuccess()
                    || v.status().code() == Status.Code.NO_ROOM_NOW), "a reject with room later: " + j);
        }
    }
}
