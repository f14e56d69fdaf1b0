package io.gpucolo.admission.state;

import static io.gpucolo.admission.testing.Fixtures.gpu;
import static io.gpucolo.admission.testing.Fixtures.guest;
import static io.gpucolo.admission.testing.Fixtures.resident;
import static io.gpucolo.admission.testing.Fixtures.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpucolo.admission.model.ServiceLoad;
import io.gpucolo.admission.testing.Fixtures;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterStateTest {
    private final ClusterState state = Fixtures.cluster().node("a", 2, 16_000).node("b", 1, 32_000).state();

    @Test
    void startsEmptyInClusterOrderWithLargestMemory() {
        assertEquals(3, state.gpuCount());
        assertEquals(List.of(gpu("a:g0"), gpu("a:g1"), gpu("b:g0")),
                state.gpus().stream().map(g -> g.gpu().id()).toList());
        assertEquals(32_000, state.maxGpuMemoryMiB());
        assertEquals(2, state.ordinal(gpu("b:g0")));
        assertEquals(-1, state.ordinal(gpu("c:g0")));
        assertEquals(0, state.version());
    }

    @Test
    void reserveCommitsWhenTheCheckAcceptsTheCurrentValueAndBumpsTheVersion() {
        GpuState before = state.gpu(gpu("a:g1")).orElseThrow();
        GpuState after = state.reserve(gpu("a:g1"), guest("j1", 30, 4000, true), g -> g.trainingPercent() + 30 <= 50)
                .orElseThrow();
        assertEquals(30, after.trainingPercent());
        assertTrue(after.version() > before.version());
        assertEquals(after.version(), state.version());
        assertEquals(gpu("a:g1"), state.guestGpu("j1").orElseThrow());
        // the same check now refuses a second 30% guest: 60 > 50
        assertTrue(state.reserve(gpu("a:g1"), guest("j2", 30, 4000, true), g -> g.trainingPercent() + 30 <= 50).isEmpty());
        assertTrue(state.guestGpu("j2").isEmpty());
        assertEquals(1, state.gpu(gpu("a:g1")).orElseThrow().guests().size());
    }

    @Test
    void aJobIsPlacedAtMostOnce() {
        state.addGuest(gpu("a:g0"), guest("j1", 10, 1000, false));
        assertTrue(state.reserve(gpu("b:g0"), guest("j1", 10, 1000, false), g -> true).isEmpty());
        var e = assertThrows(IllegalArgumentException.class, () -> state.addGuest(gpu("b:g0"), guest("j1", 10, 1000, false)));
        assertEquals("job j1 is already placed on a:g0", e.getMessage());
    }

    @Test
    void servicesAndGuestsComeAndGoAndLoadsChange() {
        var s = service("web", 50, 2000);
        state.addService(gpu("b:g0"), resident("svc1", s, 40));
        state.addGuest(gpu("b:g0"), guest("j1", 20, 1000, true));
        assertEquals(3000, state.gpu(gpu("b:g0")).orElseThrow().usedMemoryMiB());
        GpuState loaded = state.updateLoad("svc1", new ServiceLoad(80, 4));
        assertEquals(new ServiceLoad(80, 4), loaded.services().get(0).load());
        assertEquals(gpu("b:g0"), state.serviceGpu("svc1").orElseThrow());
        assertTrue(state.removeGuest("j1").isPresent());
        assertTrue(state.removeGuest("j1").isEmpty());
        assertTrue(state.removeService("svc1").isPresent());
        assertFalse(state.gpu(gpu("b:g0")).orElseThrow().hasInference());
        assertThrows(IllegalArgumentException.class, () -> state.updateLoad("svc1", new ServiceLoad(1, 1)));
        var dup = assertThrows(IllegalArgumentException.class, () -> {
            state.addService(gpu("a:g0"), resident("svc2", s, 1));
            state.addService(gpu("a:g1"), resident("svc2", s, 1));
        });
        assertEquals("service job svc2 already runs on a:g0", dup.getMessage());
        assertThrows(IllegalArgumentException.class, () -> state.addService(gpu("zz:g0"), resident("x", s, 1)));
    }

    @Test
    void changeFeedReportsEveryGpuFirstThenOnlyTheChangedOnes() {
        ClusterState.ChangeFeed feed = state.subscribe();
        BitSet all = new BitSet();
        all.set(0, 3);
        assertEquals(all, feed.drain());
        assertEquals(new BitSet(), feed.drain());
        state.addGuest(gpu("b:g0"), guest("j1", 10, 100, false));
        BitSet one = new BitSet();
        one.set(2);
        assertEquals(one, feed.drain());
    }

    @Test
    void attachmentsAreCreatedOncePerKey() {
        Object key = new Object();
        String first = state.attachment(key, s -> "made for " + s.gpuCount());
        String second = state.attachment(key, s -> "again");
        assertEquals("made for 3", first);
        assertEquals(first, second);
    }
}
