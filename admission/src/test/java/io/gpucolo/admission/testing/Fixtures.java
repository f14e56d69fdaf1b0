package io.gpucolo.admission.testing;

import io.gpucolo.admission.model.Cluster;
import io.gpucolo.admission.model.Gpu;
import io.gpucolo.admission.model.GpuId;
import io.gpucolo.admission.model.InferenceService;
import io.gpucolo.admission.model.Node;
import io.gpucolo.admission.model.ServiceLoad;
import io.gpucolo.admission.model.TrainingRequest;
import io.gpucolo.admission.state.ClusterState;
import io.gpucolo.admission.state.Guest;
import io.gpucolo.admission.state.ResidentService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Small clusters, services and requests for tests, built fluently. */
public final class Fixtures {
    private final List<Node> nodes = new ArrayList<>();

    private Fixtures() {
    }

    public static Fixtures cluster() {
        return new Fixtures();
    }

    /** Adds a node with {@code count} GPUs of {@code memoryMiB} each (model {@code TEST}, 100 SMs). */
    public Fixtures node(String name, int count, long memoryMiB) {
        List<Gpu> gpus = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            gpus.add(new Gpu(new GpuId(name, i), "TEST", memoryMiB, 100));
        }
        nodes.add(new Node(name, gpus, Set.of("gpu")));
        return this;
    }

    public ClusterState state() {
        return new ClusterState(new Cluster(nodes));
    }

    /** A service of latency model {@code m10} (10 ms solo) with this SLO and memory. */
    public static InferenceService service(String name, double sloMs, long memoryMiB) {
        return new InferenceService(name, sloMs, Set.of("*"), "m10", new ServiceLoad(0, 1), memoryMiB);
    }

    public static ResidentService resident(String job, InferenceService s, double rps) {
        return new ResidentService(job, s, new ServiceLoad(rps, 1));
    }

    public static Guest guest(String job, int share, long memoryMiB, boolean restartable) {
        return new Guest(job, "bob", share, memoryMiB, restartable);
    }

    public static TrainingRequest request(String job, int share, long memoryMiB) {
        return new TrainingRequest(job, "alice", share, memoryMiB, Duration.ofHours(1), true, "", "", "");
    }

    public static GpuId gpu(String text) {
        return GpuId.parse(text);
    }
}
