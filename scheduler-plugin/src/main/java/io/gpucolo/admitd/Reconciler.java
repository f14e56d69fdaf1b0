package io.gpucolo.admitd;

import io.gpucolo.admission.model.GpuId;
import io.gpucolo.admission.state.ClusterState;
import io.gpucolo.admission.state.GpuState;
import io.gpucolo.admission.state.Guest;
import io.gpucolo.admitd.slurm.SlurmJob;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings admitd's view in line with Slurm's ({@code squeue --json}): binds decision ids to the job ids they
 * became (read back from {@code admin_comment}), forgets jobs that ended and decisions whose submission never
 * reached Slurm, and marks GPUs held by whole-GPU jobs as full so that no guest is placed beside them.
 */
final class Reconciler {
    private static final Logger LOG = Logger.getLogger(Reconciler.class.getName());
    private static final Pattern ID = Pattern.compile(" id=(d[0-9]{1,18})(?: |$)");
    private static final Pattern GPUS = Pattern.compile(" gpu=([^ ]+)");
    /** A decision whose job Slurm has not shown by then was never submitted (another plugin refused it). */
    static final Duration LOST_AFTER = Duration.ofSeconds(60);

    private final ClusterState state;
    private final Book book;
    private final Desk desk;
    private final InstantSource clock;
    private volatile Map<String, SlurmJob> lastSeen = Map.of();

    Reconciler(ClusterState state, Book book, Desk desk, InstantSource clock) {
        this.state = state;
        this.book = book;
        this.desk = desk;
        this.clock = clock;
    }

    /** The jobs seen by the last reconcile, by job id. */
    Map<String, SlurmJob> lastSeen() {
        return lastSeen;
    }

    void apply(List<SlurmJob> jobs) throws IOException {
        Map<String, SlurmJob> byJob = new HashMap<>();
        Map<String, SlurmJob> liveByDecision = new HashMap<>();
        Map<String, SlurmJob> anyByDecision = new HashMap<>();
        Map<String, List<GpuId>> whole = new LinkedHashMap<>();
        for (SlurmJob j : jobs) {
            byJob.put(j.jobId(), j);
            String ac = j.adminComment();
            if (!ac.startsWith("gpucolo:")) {
                continue;
            }
            if (ac.startsWith("gpucolo:whole") && j.live()) {
                whole.put("whole:" + j.jobId(), gpus(ac, j.jobId()));
            }
            Matcher m = ID.matcher(ac);
            if (m.find()) {
                anyByDecision.put(m.group(1), j);         // ended jobs too: a job cancelled before it was seen
                if (j.live()) {
                    liveByDecision.put(m.group(1), j);
                }
            }
        }
        lastSeen = Map.copyOf(byJob);
        List<Tracked> bound = new ArrayList<>();
        List<Map<String, String>> events = new ArrayList<>();
        for (Map.Entry<String, SlurmJob> e : anyByDecision.entrySet()) {
            Optional<Tracked> t = book.get(e.getKey());
            if (t.isPresent() && t.get().jobId().isEmpty()) {
                events.add(Map.of("kind", "bind", "id", e.getKey(), "job", e.getValue().jobId(),
                        "at", Long.toString(clock.millis())));
                bound.add(t.get().bound(e.getValue().jobId()));
            }
        }
        desk.noteAll(events);                             // one disk flush for the whole pass, then the book
        bound.forEach(book::put);
        events.clear();
        for (Tracked t : book.all()) {
            boolean live = liveByDecision.containsKey(t.id());
            if (t.jobId().isPresent() && !live) {
                events.add(forget(t, "end", "job " + t.jobId().get() + " ended"));
            } else if (t.jobId().isEmpty() && !live && t.at().plus(LOST_AFTER).isBefore(clock.instant())) {
                events.add(forget(t, "lost", "no Slurm job carries this decision after " + LOST_AFTER.toSeconds() + " s"));
            }
        }
        desk.noteAll(events);
        for (GpuState g : state.gpus()) {
            for (Guest x : g.guests()) {
                if (x.jobId().startsWith("whole") && !whole.containsKey(x.jobId())) {
                    state.removeGuest(x.jobId());
                }
            }
        }
        whole.forEach((key, list) -> {
            for (GpuId gpu : list) {
                state.gpu(gpu).ifPresent(g -> {
                    if (g.guests().stream().noneMatch(x -> x.jobId().equals(key))) {
                        state.addGuest(gpu, new Guest(key, "slurm", 100, g.gpu().memoryMiB(), false));
                    }
                });
            }
        });
    }

    /** Drops a decision from the state and the book; returns its journal event (appended by the caller). */
    private Map<String, String> forget(Tracked t, String kind, String why) {
        if (t.kind().equals("service")) {
            state.removeService(t.id());
        } else {
            state.removeGuest(t.id());
        }
        book.remove(t.id());
        Map<String, String> ev = new LinkedHashMap<>();
        ev.put("kind", kind);
        ev.put("id", t.id());
        t.jobId().ifPresent(j -> ev.put("job", j));
        ev.put("reason", why);
        ev.put("at", Long.toString(clock.millis()));
        LOG.info(() -> "decision " + t.id() + ": " + why);
        return ev;
    }

    private static List<GpuId> gpus(String adminComment, String jobId) {
        Matcher m = GPUS.matcher(adminComment);
        if (!m.find()) {
            return List.of();
        }
        try {
            return java.util.Arrays.stream(m.group(1).split(",")).map(GpuId::parse).toList();
        } catch (IllegalArgumentException e) {
            LOG.warning("job " + jobId + ": unreadable gpu list in admin comment '" + JobOptions.clip(adminComment) + "': "
                    + e.getMessage());
            return List.of();
        }
    }
}
