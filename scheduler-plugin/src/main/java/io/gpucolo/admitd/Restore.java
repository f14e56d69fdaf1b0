package io.gpucolo.admitd;

import io.gpucolo.admission.model.GpuId;
import io.gpucolo.admission.model.InferenceService;
import io.gpucolo.admission.model.TrainingRequest;
import io.gpucolo.admission.policy.Policy;
import io.gpucolo.admission.state.ClusterState;
import io.gpucolo.admission.state.Guest;
import io.gpucolo.admission.state.ResidentService;
import io.gpucolo.admitd.journal.JournalEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Rebuilds admitd's book and cluster state from the journal after a restart: every acknowledged decision that
 * has not ended is followed again (guests and services re-placed, held jobs deferred again); reconcile then
 * checks it against Slurm.
 */
final class Restore {
    private static final Logger LOG = Logger.getLogger(Restore.class.getName());

    private Restore() {
    }

    static int apply(List<JournalEntry> entries, Policy policy, ClusterState state, Book book) {
        Map<String, Tracked> open = new LinkedHashMap<>();
        Map<String, JournalEntry> placed = new LinkedHashMap<>();
        for (JournalEntry e : entries) {
            String id = e.get("id");
            switch (e.get("kind")) {
                case "decision" -> {
                    Instant at = Instant.ofEpochMilli(parseLong(e.get("at"), 0));
                    if (e.get("verdict").equals("admit") && e.get("op").equals("service")) {
                        open.put(id, new Tracked(id, "service", null, e.get("service"), gpu(e), at, Optional.empty()));
                        placed.put(id, e);
                    } else if (e.get("verdict").equals("admit") || e.get("verdict").equals("defer")) {
                        request(e).ifPresent(r -> open.put(id, new Tracked(id, e.get("verdict").equals("admit") ? "train"
                                : "defer", r, "", gpu(e), at, Optional.empty())));
                        placed.put(id, e);
                    }
                }
                case "bind" -> {
                    Tracked t = open.get(id);
                    if (t != null) {
                        open.put(id, t.bound(e.get("job")));
                    }
                }
                case "repack" -> {
                    Tracked t = open.get(id);
                    if (t != null) {
                        gpu(e).ifPresent(g -> open.put(id, t.admitted(g)));
                        placed.put(id, e);
                    }
                }
                case "end", "lost" -> {
                    open.remove(id);
                    placed.remove(id);
                }
                default -> { }
            }
        }
        int n = 0;
        for (Tracked t : open.values()) {
            JournalEntry e = placed.get(t.id());
            try {
                if (t.kind().equals("service")) {
                    Optional<InferenceService> svc = policy.service(t.service());
                    if (svc.isEmpty()) {
                        LOG.warning("decision " + t.id() + ": service " + t.service() + " is no longer in the policy; not restored");
                        continue;
                    }
                    state.addService(t.gpu().orElseThrow(), new ResidentService(t.id(), svc.get(), svc.get().nominalLoad()));
                } else if (t.kind().equals("train")) {
                    state.addGuest(t.gpu().orElseThrow(), new Guest(t.id(), t.request().owner(),
                            (int) parseLong(e.get("granted"), t.request().sharePercent()),
                            parseLong(e.get("mem_limit"), t.request().memoryMiB()), t.request().restartable()));
                }
                book.put(t);
                n++;
            } catch (RuntimeException ex) {
                LOG.warning("decision " + t.id() + ": cannot restore (" + ex.getMessage() + ")");
            }
        }
        return n;
    }

    private static Optional<GpuId> gpu(JournalEntry e) {
        String g = e.get("gpu");
        return g.isEmpty() ? Optional.empty() : Optional.of(GpuId.parse(g));
    }

    private static Optional<TrainingRequest> request(JournalEntry e) {
        try {
            long minutes = parseLong(e.get("req_time"), 60);
            return Optional.of(new TrainingRequest(e.get("id"), e.get("user"), (int) parseLong(e.get("share"), 20),
                    parseLong(e.get("mem"), 1024), Duration.ofMinutes(Math.max(1, minutes)),
                    Boolean.parseBoolean(e.get("restartable")), e.get("req_partition"), e.get("req_qos"),
                    e.get("req_account")));
        } catch (IllegalArgumentException ex) {
            LOG.warning("decision " + e.get("id") + ": unreadable request in journal (" + ex.getMessage() + ")");
            return Optional.empty();
        }
    }

    static long parseLong(String s, long dflt) {
        try {
            return s.isEmpty() ? dflt : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
