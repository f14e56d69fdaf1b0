package io.gpucolo.sim.policies;

import io.gpucolo.admission.model.Cluster;
import io.gpucolo.admission.model.Decision;
import io.gpucolo.admission.model.Gpu;
import io.gpucolo.admission.model.GpuId;
import io.gpucolo.admission.model.InferenceService;
import io.gpucolo.admission.model.Node;
import io.gpucolo.admission.model.ServiceLoad;
import io.gpucolo.admission.model.TrainingRequest;
import io.gpucolo.admission.pipeline.Admission;
import io.gpucolo.admission.pipeline.PlacementPolicy;
import io.gpucolo.admission.pipeline.Status;
import io.gpucolo.admission.state.ClusterState;
import io.gpucolo.admission.state.ResidentService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The production admission pipeline ({@link Admission#admit}) placing training tasks on the inference GPUs of the
 * simulation, through a {@link ClusterState} mirrored from the {@link Datacenter}: an inference task placed on
 * shared-pool slot {@code s} becomes a resident service of GPU {@code n<s/8>:g<s%8>} (its SLO, profile, memory, and its
 * nominal rate times the load series' peak: admission plans for the peak window), and leaves with the task. An
 * admitted training task binds to the chosen GPU; a deferred or rejected one falls back to first-fit among
 * training-only GPUs (a new GPU when none fits), as a site would run it without co-location.
 *
 * <p>The mirror has a fixed number of GPUs (the shared pool's size when built); inference GPUs opened beyond it
 * are not offered to admission. This adapter allocates records per decision: it is the production path, not
 * the engine's hot loop.
 */
public final class AdmissionPlacer implements TrainingPlacer, Datacenter.Residents {
    /** GPUs per mirrored node: slot {@code s} is GPU {@code n<s/8>:g<s%8>}. */
    static final int PER_NODE = 8;

    private final Datacenter dc;
    private final Admission admission;
    private final ClusterState state;
    private final int gpus;
    private final double peakFactor;
    private final int batch;
    private final int[] granted;
    private int chosen = -1;
    private long decisions;
    private long admitted;

    public AdmissionPlacer(Datacenter dc, PlacementPolicy policy, int gpus, long gpuMemMiB, double peakFactor, int batch) {
        this.dc = dc;
        this.admission = new Admission(policy);
        this.gpus = gpus;
        this.peakFactor = peakFactor;
        this.batch = batch;
        this.granted = new int[dc.t.size()];
        List<Node> nodes = new ArrayList<>();
        for (int n = 0; n * PER_NODE < gpus; n++) {
            List<Gpu> list = new ArrayList<>(PER_NODE);
            for (int i = 0; i < PER_NODE && n * PER_NODE + i < gpus; i++) {
                list.add(new Gpu(new GpuId("n" + n, i), dc.plant.gpuModel(), gpuMemMiB, 108));
            }
            nodes.add(new Node("n" + n, list, Set.of()));
        }
        state = new ClusterState(new Cluster(nodes));
        dc.residents(this);
    }

    /**
     * The factory the engine calls for the {@code headroom} policy: the admission core's {@code headroom} placement
     * policy with the given site policy (its margins and limits) on the plant's latency model.
     */
    public static io.gpucolo.sim.engine.AdmissionFactory factory(io.gpucolo.admission.policy.Policy sitePolicy,
                                                                  io.gpucolo.admission.latency.LatencyModel model,
                                                                  int batch) {
        return (dc, tasks, setup) -> {
            int size = setup.capacity() > 0 ? setup.capacity()
                    : Math.max(1, tasks.peakConcurrent(io.gpucolo.sim.traces.TaskTable.INFERENCE));
            PlacementPolicy p = io.gpucolo.admission.plugins.Policies.byName("headroom", sitePolicy, model);
            return new AdmissionPlacer(dc, p, size, setup.gpuMemMiB(), setup.load().peak(), batch);
        };
    }

    public long decisions() {
        return decisions;
    }

    public long admitted() {
        return admitted;
    }

    @Override
    public int place(int task, long nowMs) {
        decisions++;
        TrainingRequest r = new TrainingRequest("t" + task, "sim", dc.t.share(task), Math.max(1, dc.t.memoryMiB(task)),
                Duration.ofSeconds(Math.max(1, dc.t.duration(task))), true, "", "", "");
        chosen = -1;
        Decision d = admission.admit(r, state, (req, p) -> {
            chosen = Integer.parseInt(p.gpu().node().substring(1)) * PER_NODE + p.gpu().index();
            granted[task] = p.mpsPercent();
            return Status.success();
        });
        if (d instanceof Decision.Admit && chosen >= 0) {
            admitted++;
            return chosen * 2;
        }
        return -1;
    }

    @Override
    public int grantedShare(int task) {
        return granted[task] > 0 ? granted[task] : dc.t.share(task);
    }

    @Override
    public void released(int task) {
        if (granted[task] > 0) {
            state.removeGuest("t" + task);
            granted[task] = 0;
        }
    }

    @Override
    public void serviceArrived(int task, int gpu) {
        if ((gpu & 1) != 0 || (gpu >> 1) >= gpus) {
            return;
        }
        String model = dc.plant.services().get(dc.service[task]);
        double rate = dc.plant.capacity(dc.service[task]) * dc.plant.rateStep(dc.service[task], dc.t.share(task), peakFactor) / 200.0;
        ServiceLoad load = new ServiceLoad(rate, batch);
        InferenceService s = new InferenceService(model, dc.slo.sloP99[task], Set.of("*"), model, load,
                Math.max(1, dc.t.memoryMiB(task)));
        int slot = gpu >> 1;
        state.addService(new GpuId("n" + slot / PER_NODE, slot % PER_NODE), new ResidentService("i" + task, s, load));
    }

    @Override
    public void serviceLeft(int task, int gpu) {
        if ((gpu & 1) == 0 && (gpu >> 1) < gpus) {
            state.removeService("i" + task);
        }
    }
}
