package io.gpucolo.admission.state;

import io.gpucolo.admission.model.Cluster;
import io.gpucolo.admission.model.Gpu;
import io.gpucolo.admission.model.GpuId;
import io.gpucolo.admission.model.ServiceLoad;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The live occupancy of every GPU of a {@link Cluster}: thread-safe, mutable, and versioned.
 *
 * <p>Each GPU's {@link GpuState} is an immutable value held in its own slot. Every change replaces the
 * value by compare-and-set and gives it a new version drawn from one counter, so versions grow across the
 * whole state and a value seen once is never seen again with different content. Decisions are made on
 * values read without locks (propose) and committed by {@link #reserve}, which re-runs the caller's
 * constraint check against the GPU's current value inside the compare-and-set loop (commit): two
 * concurrent decisions can never both fill the same room.
 *
 * <p>Listeners that keep derived indexes subscribe to a {@link ChangeFeed} of changed GPU ordinals.
 */
public final class ClusterState {
    private final Cluster cluster;
    private final List<GpuId> ids;
    private final Map<GpuId, Integer> ordinals;
    private final AtomicReferenceArray<GpuState> slots;
    private final AtomicLong versions = new AtomicLong();
    private final ConcurrentHashMap<String, GpuId> guestHome = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, GpuId> serviceHome = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<WeakReference<ChangeFeed>> feeds = new CopyOnWriteArrayList<>();
    private final Map<Object, Object> attachments = Collections.synchronizedMap(new WeakHashMap<>());
    private final long maxGpuMemoryMiB;

    /** An empty state: every GPU of the cluster holds no service and no guest. */
    public ClusterState(Cluster cluster) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        List<Gpu> gpus = cluster.gpus();
        List<GpuId> idList = new ArrayList<>(gpus.size());
        Map<GpuId, Integer> ord = new HashMap<>(gpus.size() * 2);
        slots = new AtomicReferenceArray<>(gpus.size());
        long maxMem = 0;
        for (int i = 0; i < gpus.size(); i++) {
            Gpu g = gpus.get(i);
            idList.add(g.id());
            ord.put(g.id(), i);
            slots.set(i, GpuState.empty(g));
            maxMem = Math.max(maxMem, g.memoryMiB());
        }
        ids = Collections.unmodifiableList(idList);
        ordinals = Map.copyOf(ord);
        maxGpuMemoryMiB = maxMem;
    }

    public Cluster cluster() {
        return cluster;
    }

    public int gpuCount() {
        return slots.length();
    }

    /** The largest memory of any GPU, MiB (0 for a cluster without GPUs). */
    public long maxGpuMemoryMiB() {
        return maxGpuMemoryMiB;
    }

    /** The position of a GPU in {@link #gpus()} order, or -1 when the cluster has no such GPU. */
    public int ordinal(GpuId id) {
        Integer o = ordinals.get(id);
        return o == null ? -1 : o;
    }

    public GpuId idAt(int ordinal) {
        return ids.get(ordinal);
    }

    /** The current value of the GPU at this ordinal. */
    public GpuState at(int ordinal) {
        return slots.get(ordinal);
    }

    public Optional<GpuState> gpu(GpuId id) {
        int o = ordinal(id);
        return o < 0 ? Optional.empty() : Optional.of(slots.get(o));
    }

    /** A snapshot of every GPU's current value, in cluster order. Each value is consistent on its own. */
    public List<GpuState> gpus() {
        List<GpuState> out = new ArrayList<>(slots.length());
        for (int i = 0; i < slots.length(); i++) {
            out.add(slots.get(i));
        }
        return out;
    }

    /** The highest version handed out so far: changes whenever any GPU changes. */
    public long version() {
        return versions.get();
    }

    /** Where a guest (training job) is placed, if anywhere. */
    public Optional<GpuId> guestGpu(String jobId) {
        return Optional.ofNullable(guestHome.get(jobId));
    }

    /** Where an inference service instance (by job id) runs, if anywhere. */
    public Optional<GpuId> serviceGpu(String jobId) {
        return Optional.ofNullable(serviceHome.get(jobId));
    }

    /**
     * Commits a guest onto a GPU if {@code stillFits} accepts the GPU's current value; the check runs
     * again on every retry of the compare-and-set, so it always judges the value that is replaced.
     *
     * @return the committed value, or empty when the check refused (or the job is already placed)
     */
    public Optional<GpuState> reserve(GpuId id, Guest guest, Predicate<GpuState> stillFits) {
        Objects.requireNonNull(guest, "guest");
        int o = requireOrdinal(id);
        if (guestHome.putIfAbsent(guest.jobId(), id) != null) {
            return Optional.empty();
        }
        while (true) {
            GpuState cur = slots.get(o);
            if (!stillFits.test(cur)) {
                guestHome.remove(guest.jobId(), id);
                return Optional.empty();
            }
            List<Guest> guests = new ArrayList<>(cur.guests());
            guests.add(guest);
            GpuState next = new GpuState(cur.gpu(), cur.services(), guests, versions.incrementAndGet());
            if (slots.compareAndSet(o, cur, next)) {
                changed(o);
                return Optional.of(next);
            }
        }
    }

    /** Places a guest without any check (replaying a known state, e.g. from Slurm or a file). */
    public GpuState addGuest(GpuId id, Guest guest) {
        return reserve(id, guest, s -> true).orElseThrow(
                () -> new IllegalArgumentException("job " + guest.jobId() + " is already placed on "
                        + guestHome.get(guest.jobId())));
    }

    /** Removes a guest wherever it is; returns the GPU's new value, or empty when it was not placed. */
    public Optional<GpuState> removeGuest(String jobId) {
        GpuId id = guestHome.get(jobId);
        if (id == null) {
            return Optional.empty();
        }
        GpuState next = update(requireOrdinal(id), cur -> {
            List<Guest> guests = new ArrayList<>(cur.guests());
            guests.removeIf(g -> g.jobId().equals(jobId));
            return new GpuState(cur.gpu(), cur.services(), guests, 0);
        });
        guestHome.remove(jobId, id);
        return Optional.of(next);
    }

    /** Places an inference service instance on a GPU. */
    public GpuState addService(GpuId id, ResidentService service) {
        Objects.requireNonNull(service, "service");
        int o = requireOrdinal(id);
        GpuId prev = serviceHome.putIfAbsent(service.jobId(), id);
        if (prev != null) {
            throw new IllegalArgumentException("service job " + service.jobId() + " already runs on " + prev);
        }
        return update(o, cur -> {
            List<ResidentService> services = new ArrayList<>(cur.services());
            services.add(service);
            return new GpuState(cur.gpu(), services, cur.guests(), 0);
        });
    }

    /** Removes an inference service instance by job id; empty when it was not placed. */
    public Optional<GpuState> removeService(String jobId) {
        GpuId id = serviceHome.remove(jobId);
        if (id == null) {
            return Optional.empty();
        }
        return Optional.of(update(requireOrdinal(id), cur -> {
            List<ResidentService> services = new ArrayList<>(cur.services());
            services.removeIf(s -> s.jobId().equals(jobId));
            return new GpuState(cur.gpu(), services, cur.guests(), 0);
        }));
    }

    /**
     * Sets the load an inference service instance is planned for (its forecast). Admission plans with
     * this load, so the daemon and the simulator write their forecast here.
     */
    public GpuState updateLoad(String jobId, ServiceLoad load) {
        Objects.requireNonNull(load, "load");
        GpuId id = serviceHome.get(jobId);
        if (id == null) {
            throw new IllegalArgumentException("unknown service job " + jobId);
        }
        return update(requireOrdinal(id), cur -> {
            List<ResidentService> services = new ArrayList<>(cur.services());
            services.replaceAll(s -> s.jobId().equals(jobId) ? new ResidentService(jobId, s.service(), load) : s);
            return new GpuState(cur.gpu(), services, cur.guests(), 0);
        });
    }

    /**
     * A new feed that reports every GPU that changes from now on. The state holds it weakly: it lives as long
     * as its subscriber keeps it.
     */
    public ChangeFeed subscribe() {
        ChangeFeed f = new ChangeFeed(slots.length());
        feeds.add(new WeakReference<>(f));
        return f;
    }

    /**
     * A derived object kept with this state (e.g. a candidate index), created once per key. The key is held
     * weakly: when its owner (e.g. an {@code Admission} replaced after a policy reload) is gone, so is the
     * derived object. The derived object must not reference its key.
     */
    @SuppressWarnings("unchecked")
    public <T> T attachment(Object key, Function<ClusterState, T> create) {
        return (T) attachments.computeIfAbsent(key, k -> create.apply(this));
    }

    private GpuState update(int o, UnaryOperator<GpuState> change) {
        while (true) {
            GpuState cur = slots.get(o);
            GpuState draft = change.apply(cur);
            GpuState next = new GpuState(draft.gpu(), draft.services(), draft.guests(), versions.incrementAndGet());
            if (slots.compareAndSet(o, cur, next)) {
                changed(o);
                return next;
            }
        }
    }

    private void changed(int ordinal) {
        boolean cleared = false;
        for (WeakReference<ChangeFeed> r : feeds) {
            ChangeFeed f = r.get();
            if (f == null) {
                cleared = true;
            } else {
                f.mark(ordinal);
            }
        }
        if (cleared) {
            feeds.removeIf(r -> r.get() == null);
        }
    }

    private int requireOrdinal(GpuId id) {
        int o = ordinal(Objects.requireNonNull(id, "gpu"));
        if (o < 0) {
            throw new IllegalArgumentException("unknown GPU " + id);
        }
        return o;
    }

    /** The ordinals of GPUs changed since the last {@link #drain}. Thread-safe. */
    public static final class ChangeFeed {
        private final BitSet dirty;

        ChangeFeed(int size) {
            dirty = new BitSet(size);
            dirty.set(0, size);
        }

        synchronized void mark(int ordinal) {
            dirty.set(ordinal);
        }

        /** Returns and clears the changed ordinals (every GPU on the first call). */
        public synchronized BitSet drain() {
            BitSet out = (BitSet) dirty.clone();
            dirty.clear();
            return out;
        }
    }
}
