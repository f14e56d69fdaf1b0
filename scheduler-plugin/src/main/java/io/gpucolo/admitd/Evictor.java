package io.gpucolo.admitd;

import io.gpucolo.admission.model.ServiceLoad;
import io.gpucolo.admission.policy.EvictionAction;
import io.gpucolo.admission.policy.Policy;
import io.gpucolo.admission.state.ClusterState;
import io.gpucolo.admission.state.GpuState;
import io.gpucolo.admission.state.Guest;
import io.gpucolo.admission.state.ResidentService;
import io.gpucolo.admitd.slurm.SlurmCommands;
import io.gpucolo.admitd.slurm.SlurmFormatException;
import io.gpucolo.store.Store;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Takes training off GPUs whose headroom shrank. Each pass plans every resident service at the load the admission
 * core's forecaster gives from the store's load history ({@link LoadHistory}: a burst raises it at once, a calm
 * period lowers it only when the burst has left the forecaster's window), asks admission which guests
 * must leave ({@code Admission.evictions}), and acts in the policy's {@code eviction.order}: a guest listed for
 * {@code k × escalate_after} gets the k-th action ({@code throttle}: left to the node controller; {@code suspend}:
 * {@code scontrol suspend}; {@code requeue}: {@code scontrol requeuehold}, restartable guests only, which then
 * wait held like a deferred job). A suspended guest no longer listed is resumed.
 */
final class Evictor {
    private static final Logger LOG = Logger.getLogger(Evictor.class.getName());

    private final ClusterState state;
    private final Book book;
    private final Desk desk;
    private final Supplier<Setup> setup;
    private final LoadHistory history;
    private final SlurmCommands slurm;
    private final InstantSource clock;
    private final Map<String, Instant> listedSince = new HashMap<>();
    private final Map<String, EvictionAction> applied = new HashMap<>();

    Evictor(ClusterState state, Book book, Desk desk, Supplier<Setup> setup, Store store, SlurmCommands slurm,
            InstantSource clock) {
        this.state = state;
        this.book = book;
        this.desk = desk;
        this.setup = setup;
        this.history = new LoadHistory(store);
        this.slurm = slurm;
        this.clock = clock;
    }

    void run() throws IOException {
        refreshLoads();
        Setup s = setup.get();
        Policy.Eviction policy = s.policy().eviction();
        Instant now = clock.instant();
        Set<String> listed = new HashSet<>();
        for (GpuState g : state.gpus()) {
            for (Guest x : s.admission().evictions(g.gpu().id(), state)) {
                if (x.jobId().startsWith("whole")) {
                    continue;
                }
                listed.add(x.jobId());
                Instant since = listedSince.computeIfAbsent(x.jobId(), k -> now);
                long step = Duration.between(since, now).toMillis() / Math.max(1, policy.escalateAfter().toMillis());
                EvictionAction want = action(policy.order(), (int) Math.min(step, policy.order().size() - 1), x.restartable());
                if (want != applied.get(x.jobId())) {
                    apply(x, want, g);
                }
            }
        }
        for (String id : List.copyOf(listedSince.keySet())) {
            if (!listed.contains(id)) {
                listedSince.remove(id);
                EvictionAction was = applied.remove(id);
                if (was == EvictionAction.SUSPEND) {
                    book.get(id).flatMap(Tracked::jobId).ifPresent(job -> act(id, job, "resume", "headroom is back"));
                }
            }
        }
    }

    /** The action at this step, skipping requeue for a guest that is not restartable. */
    static EvictionAction action(List<EvictionAction> order, int step, boolean restartable) {
        for (int i = step; i >= 0; i--) {
            if (order.get(i) != EvictionAction.REQUEUE || restartable) {
                return order.get(i);
            }
        }
        return EvictionAction.THROTTLE;
    }

    private void apply(Guest x, EvictionAction want, GpuState g) throws IOException {
        applied.put(x.jobId(), want);
        String why = "headroom on " + g.gpu().id() + " shrank below its guests' share";
        var job = book.get(x.jobId()).flatMap(Tracked::jobId);
        if (want == EvictionAction.THROTTLE || job.isEmpty()) {
            note(x.jobId(), "throttle", why + "; left to the node controller");
            return;
        }
        if (want == EvictionAction.SUSPEND) {
            act(x.jobId(), job.get(), "suspend", why);
        } else {
            act(x.jobId(), job.get(), "requeuehold", why);
            Tracked t = book.get(x.jobId()).orElseThrow();
            state.removeGuest(x.jobId());
            book.put(new Tracked(t.id(), "defer", t.request(), "", java.util.Optional.empty(), t.at(), t.jobId()));
            listedSince.remove(x.jobId());
            applied.remove(x.jobId());
        }
    }

    private void act(String id, String job, String verb, String why) {
        try {
            slurm.run("scontrol", List.of(verb, job));
            note(id, verb.equals("requeuehold") ? "requeue" : verb, why);
            LOG.info(() -> "decision " + id + ": job " + job + ": " + verb + " (" + why + ")");
        } catch (SlurmFormatException | IOException e) {
            LOG.warning("decision " + id + ": job " + job + ": " + verb + " failed: " + e.getMessage());
        }
    }

    private void note(String id, String action, String why) throws IOException {
        Map<String, String> ev = new LinkedHashMap<>();
        ev.put("kind", action.equals("resume") ? "resume" : "evict");
        ev.put("id", id);
        book.get(id).flatMap(Tracked::jobId).ifPresent(j -> ev.put("job", j));
        ev.put("action", action);
        ev.put("reason", why);
        ev.put("at", Long.toString(clock.millis()));
        desk.note(ev);
    }

    private void refreshLoads() {
        Instant now = clock.instant();
        Policy.Margins margins = setup.get().policy().margins();
        for (GpuState g : state.gpus()) {
            for (ResidentService r : g.services()) {
                try {
                    ServiceLoad planned = history.planned(r.service().name(), g.gpu().id(), r.service().nominalLoad(), now, margins);
                    if (planned.requestsPerSecond() != r.load().requestsPerSecond()) {
                        state.updateLoad(r.jobId(), planned);
                    }
                } catch (RuntimeException e) {
                    LOG.warning("load history of " + r.service().name() + " on " + g.gpu().id() + " unavailable: "
                            + e.getMessage());
                }
            }
        }
    }
}
