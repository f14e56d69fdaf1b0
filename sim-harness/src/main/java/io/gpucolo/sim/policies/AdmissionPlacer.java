package io.gpucolo.sim.policies;

import io.gpucolo.admission.latency.LatencyModel;
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
import io.gpucolo.admission.plugins.Policies;
import io.gpucolo.admission.policy.Policy;
import io.gpucolo.admission.state.ClusterState;
import io.gpucolo.admission.state.GpuState;
import io.gpucolo.admission.state.Guest;
import io.gpucolo.admission.state.ResidentService;
import io.gpucolo.sim.engine.AdmissionFactory;
import io.gpucolo.sim.plant.MemoLatencyModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The production admission pipeline ({@link Admission#admit}) placing training tasks on the inference GPUs of the
 * simulation, through a {@link ClusterState} mirrored from the {@link Datacenter}: an inference task placed on
 * shared-pool slot {@code s} becomes a resident service of GPU {@code n<s/8>:g<s%8>} (its SLO, profile, memory, and
 * its nominal rate times the {@link LoadPlan}'s forecast factor) and leaves with the task. An admitted training
 * task binds to the chosen GPU; a deferred or rejected one falls back to first-fit among training-only GPUs (a new
 * GPU when none fits), as a site would run it without co-location.
 *
 * <p>The mirror covers every slot of the shared pool: it starts at {@code initialGpus} and is rebuilt larger (its
 * services and guests replayed into a new state) as soon as an inference task opens a slot beyond it, so no
 * inference GPU is ever invisible to admission. It never grows past the pool's own slots, so whatever GPU admission
 * picks exists in the simulation.
 */
public final class AdmissionPlacer implements TrainingPlacer, Datacenter.Residents {
    /** GPUs per mirrored node: slot {@code s} is GPU {@code n<s/8>:g<s%8>}. */
    static final int PER_NODE = 8;

    private final Datacenter dc;
    private final Admission admission;
    private final LoadPlan plan;
    private final long gpuMemMiB;
    private final int batch;
    private final int[] granted;
    /** Job id in the mirror of each task while it is there ("i" + task for a service, "t" + task for a guest). */
    private final String[] jobIds;
    private final Map<Long, InferenceService> serviceRecords = new HashMap<>();
    private ClusterState state;
    private GpuId[] ids = new GpuId[0];
    private int chosen = -1;
    private long decisions;
    private long admitted;
    private int rebuilds;

    AdmissionPlacer(Datacenter dc, PlacementPolicy policy, int initialGpus, long gpuMemMiB, LoadPlan plan, int batch) {
        this.dc = dc;
        this.admission = new Admission(policy);
        this.plan = plan;
        this.gpuMemMiB = gpuMemMiB;
        this.batch = batch;
        this.granted = new int[dc.t.size()];
        this.jobIds = new String[dc.t.size()];
        this.state = mirror(Math.max(1, Math.min(initialGpus, dc.sharedSlots())));
        dc.residents(this);
    }

    /**
     * The factory the engine calls for the {@code headroom} policy: the admission core's {@code headroom} placement
     * policy with the given site policy (its margins and limits) on the latency model (behind a memo: the model is
     * pure, so a remembered answer is the model's answer), planning with the forecast of the run's load series.
     */
    public static AdmissionFactory factory(Policy sitePolicy, LatencyModel model, int batch) {
        return factory(sitePolicy, model, batch, Integer.MAX_VALUE);
    }

    /** The same with the mirror starting at {@code initialGpus} (capped at the shared pool's slots). */
    static AdmissionFactory factory(Policy sitePolicy, LatencyModel model, int batch, int initialGpus) {
        return (dc, tasks, setup) -> {
            PlacementPolicy p = Policies.byName("headroom", sitePolicy, new MemoLatencyModel(model));
            LoadPlan plan = new LoadPlan(setup.load(), sitePolicy.margins().forecastHorizon());
            return new AdmissionPlacer(dc, p, initialGpus, setup.gpuMemMiB(), plan, batch);
        };
    }

    public long decisions() {
        return decisions;
    }

    public long admitted() {
        return admitted;
    }

    /** GPUs the mirror holds now (a test hook). */
    int mirroredGpus() {
        return ids.length;
    }

    /** How often the mirror was rebuilt larger. */
    int rebuilds() {
        return rebuilds;
    }

    /** The load admission plans a mirrored inference task at, req/s, or -1 when it is not mirrored (a test hook). */
    double plannedRps(int task) {
        int g = dc.gpuOf(task);
        if (g < 0 || (g & 1) != 0 || (g >> 1) >= ids.length) {
            return -1;
        }
        for (ResidentService r : state.at(g >> 1).services()) {
            if (r.jobId().equals(jobIds[task])) {
                return r.load().requestsPerSecond();
            }
        }
        return -1;
    }

    @Override
    public int place(int task, long nowMs) {
        decisions++;
        String id = "t" + task;
        TrainingRequest r = new TrainingRequest(id, "sim", dc.t.share(task), Math.max(1, dc.t.memoryMiB(task)),
                Duration.ofSeconds(Math.max(1, dc.t.duration(task))), true, "", "", "");
        chosen = -1;
        Decision d = admission.admit(r, state, (req, p) -> {
            chosen = state.ordinal(p.gpu());
            granted[task] = p.mpsPercent();
            return Status.success();
        });
        if (d instanceof Decision.Admit && chosen >= 0) {
            admitted++;
            jobIds[task] = id;
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
            state.removeGuest(jobIds[task]);
            granted[task] = 0;
            jobIds[task] = null;
        }
    }

    @Override
    public void serviceArrived(int task, int gpu) {
        if ((gpu & 1) != 0) {
            return;
        }
        int slot = gpu >> 1;
        if (slot >= ids.length) {
            rebuild(Math.min(dc.sharedSlots(), Math.max(slot + 1, 2 * ids.length)));
        }
        jobIds[task] = "i" + task;
        state.addService(ids[slot], new ResidentService(jobIds[task], record(task), load(task)));
    }

    @Override
    public void serviceLeft(int task, int gpu) {
        if ((gpu & 1) == 0) {
            state.removeService(jobIds[task]);
            jobIds[task] = null;
        }
    }

    /** A new load window: re-forecast, and re-plan every mirrored service when the plan moved. */
    @Override
    public void loadWindow(long nowMs) {
        if (!plan.windowStarted(nowMs)) {
            return;
        }
        for (int slot = 0; slot < ids.length; slot++) {
            for (int i = dc.head[slot * 2]; i >= 0; i = dc.next[i]) {
                if (dc.t.isInference(i)) {
                    state.updateLoad(jobIds[i], load(i));
                }
            }
        }
    }

    /** Planned load of an inference task: its nominal rate times the plan's factor, on the plant's rate grid. */
    private ServiceLoad load(int task) {
        int s = dc.service[task];
        return new ServiceLoad(dc.plant.capacity(s) * dc.plant.rateStep(s, dc.t.share(task), plan.factor()) / 200.0, batch);
    }

    /** The service record of an inference task: it depends only on its profile, share (its SLO) and memory. */
    private InferenceService record(int task) {
        int s = dc.service[task];
        long mem = Math.max(1, dc.t.memoryMiB(task));
        long key = (mem * 128 + dc.t.share(task)) * 64 + s;      // distinct small keys: no hash collisions
        InferenceService rec = serviceRecords.get(key);
        if (rec == null) {
            String model = dc.plant.services().get(s);
            ServiceLoad nominal = new ServiceLoad(dc.plant.capacity(s) * dc.plant.rateStep(s, dc.t.share(task), 1.0) / 200.0,
                    batch);
            rec = new InferenceService(model, dc.slo.sloP99[task], Set.of("*"), model, nominal, mem);
            serviceRecords.put(key, rec);
        }
        return rec;
    }

    /** An empty mirror of {@code size} GPUs. */
    private ClusterState mirror(int size) {
        List<Node> nodes = new ArrayList<>();
        for (int n = 0; n * PER_NODE < size; n++) {
            List<Gpu> list = new ArrayList<>(PER_NODE);
            for (int i = 0; i < PER_NODE && n * PER_NODE + i < size; i++) {
                list.add(new Gpu(new GpuId("n" + n, i), dc.plant.gpuModel(), gpuMemMiB, 108));
            }
            nodes.add(new Node("n" + n, list, Set.of()));
        }
        ClusterState s = new ClusterState(new Cluster(nodes));
        ids = new GpuId[size];
        for (int o = 0; o < size; o++) {
            ids[o] = s.idAt(o);
        }
        return s;
    }

    /** Replaces the mirror by a larger one holding the same services and guests on the same slots. */
    private void rebuild(int size) {
        ClusterState old = state;
        int oldSize = ids.length;
        ClusterState next = mirror(size);
        for (int o = 0; o < oldSize; o++) {
            GpuState g = old.at(o);
            for (ResidentService r : g.services()) {
                next.addService(ids[o], r);
            }
            for (Guest x : g.guests()) {
                next.addGuest(ids[o], x);
            }
        }
        state = next;
        rebuilds++;
    }
}
