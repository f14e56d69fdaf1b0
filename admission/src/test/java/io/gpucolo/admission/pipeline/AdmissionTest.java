package io.gpucolo.admission.pipeline;

import static io.gpucolo.admission.testing.Fixtures.gpu;
import static io.gpucolo.admission.testing.Fixtures.request;
import static io.gpucolo.admission.testing.Fixtures.resident;
import static io.gpucolo.admission.testing.Fixtures.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpucolo.admission.model.Decision;
import io.gpucolo.admission.model.Placement;
import io.gpucolo.admission.model.TrainingRequest;
import io.gpucolo.admission.plugins.Policies;
import io.gpucolo.admission.policy.Policy;
import io.gpucolo.admission.state.ClusterState;
import io.gpucolo.admission.testing.Fixtures;
import io.gpucolo.admission.testing.LinearLatencyModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The orchestrator: reserve, permit, bind, and the unreserve on every failure path. */
class AdmissionTest {
    private final ClusterState state = Fixtures.cluster().node("a", 2, 16_000).state();
    private final PlacementPolicy base = Policies.byName("static-share", Policy.defaults(), new LinearLatencyModel());
    private final List<String> log = new ArrayList<>();

    AdmissionTest() {
        state.addService(gpu("a:g0"), resident("s0", service("web", 20, 2000), 10));
    }

    /** A reserve plugin that records its calls and answers with {@code answer} (null: throw). */
    private Reserve reserve(String name, Status answer) {
        return new Reserve() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Status reserve(TrainingRequest r, Placement p) {
                log.add("reserve " + name + " " + p.gpu());
                if (answer == null) {
                    throw new IllegalStateException(name + " broke");
                }
                return answer;
            }

            @Override
            public void unreserve(TrainingRequest r, Placement p) {
                log.add("unreserve " + name);
            }
        };
    }

    private Permit permit(Status answer) {
        return new Permit() {
            @Override
            public String name() {
                return "gate";
            }

            @Override
            public Status permit(TrainingRequest r, Placement p) {
                log.add("permit " + p.gpu() + " guests=" + state.gpu(p.gpu()).orElseThrow().guests().size());
                return answer;
            }
        };
    }

    private BindPort bind(Status answer) {
        return (r, p) -> {
            log.add("bind " + p.gpu());
            if (answer == null) {
                throw new IllegalStateException("slurm said no");
            }
            return answer;
        };
    }

    private Admission admission(List<Reserve> reserves, List<Permit> permits) {
        return new Admission(base.withReserves(reserves).withPermits(permits));
    }

    private void assertNothingHeld(long versionAfterEvaluate) {
        assertTrue(state.guestGpu("j1").isEmpty());
        assertEquals(0, state.gpus().stream().mapToInt(g -> g.guests().size()).sum());
        assertTrue(state.version() > versionAfterEvaluate, "the reservation was committed, then undone");
    }

    @Test
    void successRunsEveryStageInOrderAndKeepsTheGuest() {
        Admission a = admission(List.of(reserve("r1", Status.success())), List.of(permit(Status.success())));
        Decision d = a.admit(request("j1", 20, 2000), state, bind(Status.success()));
        assertEquals(new Decision.Admit("j1", new Placement("j1", gpu("a:g0"), 20, 2000)), d);
        assertEquals(List.of("reserve r1 a:g0", "permit a:g0 guests=1", "bind a:g0"), log);
        assertEquals(gpu("a:g0"), state.guestGpu("j1").orElseThrow());
    }

    @Test
    void evaluateHasNoSideEffects() {
        Admission a = admission(List.of(reserve("r1", Status.success())), List.of(permit(Status.success())));
        long v = state.version();
        a.evaluate(request("j1", 20, 2000), state);
        a.decide(request("j1", 20, 2000), state);
        assertEquals(v, state.version());
        assertEquals(List.of(), log);
    }

    @Test
    void aFailingReservePluginUnreservesThoseBeforeItAndTheState() {
        Admission a = admission(List.of(reserve("r1", Status.success()),
                reserve("r2", Status.noRoomNow("r2", "ledger full"))), List.of(permit(Status.success())));
        long v = state.version();
        Decision d = a.admit(request("j1", 20, 2000), state, bind(Status.success()));
        assertEquals(new Decision.Defer("j1", "r2: ledger full"), d);
        assertEquals(List.of("reserve r1 a:g0", "reserve r2 a:g0", "unreserve r1"), log);
        assertNothingHeld(v);
    }

    @Test
    void aPermitVetoUnreservesEverythingInReverse() {
        Admission a = admission(List.of(reserve("r1", Status.success()), reserve("r2", Status.success())),
                List.of(permit(Status.forbidden("gate", "quota of alice exhausted"))));
        long v = state.version();
        Decision d = a.admit(request("j1", 20, 2000), state, bind(Status.success()));
        assertEquals(new Decision.Reject("j1", "gate: quota of alice exhausted", true), d);
        assertEquals(List.of("reserve r1 a:g0", "reserve r2 a:g0", "permit a:g0 guests=1", "unreserve r2", "unreserve r1"), log);
        assertNothingHeld(v);
    }

    @Test
    void aFailedBindUnreserves() {
        Admission a = admission(List.of(reserve("r1", Status.success())), List.of());
        long v = state.version();
        Decision d = a.admit(request("j1", 20, 2000), state, bind(Status.error("slurm", "scontrol update failed")));
        assertEquals(new Decision.Defer("j1", "slurm: scontrol update failed"), d);
        assertEquals(List.of("reserve r1 a:g0", "bind a:g0", "unreserve r1"), log);
        assertNothingHeld(v);
    }

    @Test
    void aThrowingBindBecomesADeferAndUnreserves() {
        Admission a = admission(List.of(reserve("r1", Status.success())), List.of());
        long v = state.version();
        Decision d = a.admit(request("j1", 20, 2000), state, bind(null));
        assertEquals(new Decision.Defer("j1", "bind: bind failed: slurm said no"), d);
        assertEquals(List.of("reserve r1 a:g0", "bind a:g0", "unreserve r1"), log);
        assertNothingHeld(v);
    }

    @Test
    void aThrowingPluginIsRethrownAfterUnreserving() {
        Admission a = admission(List.of(reserve("r1", Status.success()), reserve("r2", null)), List.of());
        long v = state.version();
        var e = assertThrows(IllegalStateException.class, () -> a.admit(request("j1", 20, 2000), state, bind(Status.success())));
        assertEquals("r2 broke", e.getMessage());
        assertEquals(List.of("reserve r1 a:g0", "reserve r2 a:g0", "unreserve r1"), log);
        assertNothingHeld(v);
    }

    @Test
    void refusalsNeverReachReserve() {
        Admission a = admission(List.of(reserve("r1", Status.success())), List.of(permit(Status.success())));
        Decision d = a.admit(request("j1", 95, 2000), state, bind(Status.success()));
        assertTrue(d instanceof Decision.Reject, d.toString());
        assertEquals(List.of(), log);
    }

    @Test
    void aPlacedJobIsNotPlacedTwice() {
        Admission a = admission(List.of(), List.of());
        Decision first = a.admit(request("j1", 20, 2000), state, bind(Status.success()));
        assertTrue(first instanceof Decision.Admit);
        assertEquals(new Decision.Reject("j1", "job j1 is already placed on a:g0", false),
                a.admit(request("j1", 20, 2000), state, bind(Status.success())));
    }

    @Test
    void aClusterWithoutGpusRejectsForever() {
        ClusterState none = Fixtures.cluster().state();
        assertEquals(new Decision.Reject("j1", "cluster: the cluster has no GPUs", false),
                admission(List.of(), List.of()).decide(request("j1", 20, 2000), none));
    }

    @Test
    void statusNeedsAReasonUnlessSuccess() {
        assertThrows(IllegalArgumentException.class, () -> Status.noRoomNow("x", " "));
        assertSame(Status.success(), Status.success());
        assertEquals("memory: needs 5 MiB [never fits]", Status.neverFits("memory", "needs 5 MiB").toString());
    }
}
