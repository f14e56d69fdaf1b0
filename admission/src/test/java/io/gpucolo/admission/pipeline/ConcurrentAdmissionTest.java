package io.gpucolo.admission.pipeline;

import static io.gpucolo.admission.testing.Fixtures.resident;
import static io.gpucolo.admission.testing.Fixtures.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpucolo.admission.model.Decision;
import io.gpucolo.admission.model.TrainingRequest;
import io.gpucolo.admission.plugins.Policies;
import io.gpucolo.admission.policy.Policy;
import io.gpucolo.admission.state.ClusterState;
import io.gpucolo.admission.state.GpuState;
import io.gpucolo.admission.testing.Fixtures;
import io.gpucolo.admission.testing.LinearLatencyModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Many threads admitting at once never commit a GPU beyond its capacity, memory or guest limit. */
class ConcurrentAdmissionTest {
    @ParameterizedTest
    @ValueSource(strings = {"headroom", "first-fit", "static-share", "dedicated"})
    void noGpuIsOverCommitted(String policyName) throws Exception {
        ClusterState state = Fixtures.cluster().node("a", 4, 16_000).node("b", 4, 8_000).state();
        var web = service("web", 20, 2000);
        for (int i = 0; i < 6; i++) {
            state.addService(state.idAt(i), resident("s" + i, web, 5 * i));
        }
        Admission admission = new Admission(Policies.byName(policyName, Policy.defaults(), new LinearLatencyModel()));
        int threads = 8;
        int perThread = 60;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger bound = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            done.add(pool.submit((Callable<Void>) () -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    int share = 10 + (i * 7 + id * 3) % 50;
                    long mem = 1024L * (1 + (i + id) % 6);
                    var r = new TrainingRequest("t" + id + "-" + i, "u" + id, share, mem, Duration.ofHours(1), i % 2 == 0,
                            "", "", "");
                    Decision d = admission.admit(r, state, (req, p) -> {
                        bound.incrementAndGet();
                        return io.gpucolo.admission.pipeline.Status.success();
                    });
                    if (d instanceof Decision.Admit) {
                        admitted.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        int guests = 0;
        int maxGuests = policyName.equals("dedicated") ? 1 : Policy.defaults().limits().maxGuestsPerGpu();
        for (GpuState g : state.gpus()) {
            guests += g.guests().size();
            int capacity = admission.freePercent(new GpuState(g.gpu(), g.services(), List.of(), g.version()));
            assertTrue(g.trainingPercent() <= capacity, g.gpu().id() + ": " + g.trainingPercent() + "% > " + capacity + "%");
            assertTrue(g.usedMemoryMiB() <= g.gpu().memoryMiB() - 512, g.gpu().id() + " memory " + g.usedMemoryMiB());
            assertTrue(g.guests().size() <= maxGuests, g.gpu().id() + " guests " + g.guests().size());
        }
        assertEquals(admitted.get(), guests);
        assertEquals(admitted.get(), bound.get());
        assertTrue(admitted.get() > 0, "something was admitted");
    }
}
