package io.gpucolo.admitd;

import io.gpucolo.admission.model.Decision;
import io.gpucolo.admission.model.GpuId;
import io.gpucolo.admission.model.InferenceService;
import io.gpucolo.admission.model.Placement;
import io.gpucolo.admission.model.TrainingRequest;
import io.gpucolo.admission.pipeline.Status;
import io.gpucolo.admission.state.ClusterState;
import io.gpucolo.admission.state.GpuState;
import io.gpucolo.admission.state.Guest;
import io.gpucolo.admission.state.ResidentService;
import io.gpucolo.admitd.journal.DecisionJournal;
import io.gpucolo.admitd.journal.JournalEntry;
import io.gpucolo.admitd.protocol.Reply;
import io.gpucolo.admitd.protocol.Request;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Answers the submit hook: one decision at a time, from the in-memory {@link ClusterState} only (no Slurm
 * command, no database on this path), each decision appended to the fsync'd journal before the reply leaves.
 */
final class Desk {
    private static final Logger LOG = Logger.getLogger(Desk.class.getName());
    private static final Duration DEFAULT_DURATION = Duration.ofHours(1);
    /** A user name admitd accepts from the hook (what Slurm reports for a local account). */
    private static final java.util.regex.Pattern USER = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Supplier<Setup> setup;
    private final ClusterState state;
    private final DecisionJournal journal;
    private final Book book;
    private final InstantSource clock;
    private final PathTimes times;

    private final Logger log;

    Desk(Supplier<Setup> setup, ClusterState state, DecisionJournal journal, Book book, InstantSource clock,
         PathTimes times) {
        this(setup, state, journal, book, clock, times, LOG);
    }

    /** @param log where decisions are logged ({@link WarmUp}'s scratch desk logs into nothing) */
    Desk(Supplier<Setup> setup, ClusterState state, DecisionJournal journal, Book book, InstantSource clock,
         PathTimes times, Logger log) {
        this.log = log;
        this.times = times;
        this.setup = setup;
        this.state = state;
        this.journal = journal;
        this.book = book;
        this.clock = clock;
    }

    /** Decides a {@code train} or {@code service} request. Never throws: failures become error replies. */
    Reply decide(Request r) {
        long t0 = System.nanoTime();
        synchronized (this) {
            times.record(PathTimes.Stage.LOCK, (System.nanoTime() - t0) / 1000);
            return decideLocked(r);
        }
    }

    private Reply decideLocked(Request r) {
        String id = "d" + journal.nextSeq();
        try {
            Setup s = setup.get();
            String user = r.field("user").orElse("");
            Map<String, String> rec = new LinkedHashMap<>();
            rec.put("kind", "decision");
            rec.put("id", id);
            rec.put("op", r.op());
            rec.put("at", Long.toString(clock.millis()));
            rec.put("policy", s.source());
            r.fields().forEach((k, v) -> { if (!k.equals("t")) { rec.put("req_" + k, v); } });
            Optional<JobOptions> opts;
            try {
                opts = JobOptions.parse(r.field("comment").orElse(""), r.field("qos").orElse(""), s.policy().slurm(),
                        s.policy().limits().minGuestMemoryMiB());
                if (opts.isEmpty()) {
                    throw new IllegalArgumentException("the job does not ask for gpucolo (comment '"
                            + JobOptions.clip(r.field("comment").orElse("")) + "')");
                }
                if (user.isEmpty() || !USER.matcher(user).matches()) {
                    throw new IllegalArgumentException("cannot tell the submitting user (uid " + r.field("uid").orElse("?") + ")");
                }
            } catch (IllegalArgumentException e) {
                return record(rec, Verdicts.reject(id, e.getMessage()), e.getMessage());
            }
            JobOptions o = opts.get();
            avoid(r.field("avoid").orElse(""));
            if (o.service().isPresent()) {
                return service(s, id, user, o.service().get(), rec);
            }
            TrainingRequest req;
            try {
                Duration d = r.field("time").map(m -> Duration.ofMinutes(Long.parseLong(m))).orElse(DEFAULT_DURATION);
                req = new TrainingRequest(id, user, o.sharePercent(), o.memoryMiB(), d.isZero() ? DEFAULT_DURATION : d,
                        o.restartable(), r.field("partition").orElse(""), r.field("qos").orElse(""),
                        r.field("account").orElse(""));
            } catch (IllegalArgumentException e) {
                return record(rec, Verdicts.reject(id, e.getMessage()), e.getMessage());
            }
            rec.put("share", Integer.toString(o.sharePercent()));
            rec.put("mem", Long.toString(o.memoryMiB()));
            rec.put("restartable", Boolean.toString(o.restartable()));
            rec.put("user", user);
            Decision d = s.admission().admit(req, state, journaled(new LinkedHashMap<>(rec)));
            Reply reply = Verdicts.of(id, d, o.sharePercent(), o.memoryMiB(), r.field("held").orElse("").equals("1"));
            if (d instanceof Decision.Admit a) {
                book.put(new Tracked(id, "train", req, "", Optional.of(a.placement().gpu()), clock.instant(), Optional.empty()));
                log.info(() -> "decision " + id + ": admit " + user + " on " + a.placement().gpu());
                return reply;
            }
            String reason = d instanceof Decision.Defer df ? df.reason() : ((Decision.Reject) d).reason();
            if (reason.startsWith("bind: cannot persist")) {
                return Reply.error("admitd cannot persist decisions: " + reason);
            }
            if (d instanceof Decision.Defer) {
                rec.put("share", Integer.toString(o.sharePercent()));
                Reply out = record(rec, reply, reason);
                book.put(new Tracked(id, "defer", req, "", Optional.empty(), clock.instant(), Optional.empty()));
                return out;
            }
            return record(rec, reply, reason);
        } catch (UncheckedIOException e) {
            LOG.log(Level.SEVERE, "decision " + id + ": journal write failed", e);
            return Reply.error("admitd cannot persist decisions: " + e.getCause().getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "decision " + id + ": internal error", e);
            return Reply.error("admitd internal error: " + e);
        }
    }

    private Reply service(Setup s, String id, String user, String name, Map<String, String> rec) {
        rec.put("service", name);
        rec.put("user", user);
        Optional<InferenceService> svc = s.policy().service(name);
        if (svc.isEmpty()) {
            String known = String.join(", ", s.policy().services().stream().map(InferenceService::name).toList());
            return record(rec, Verdicts.reject(id, "unknown service '" + JobOptions.clip(name) + "'; declared: "
                    + (known.isEmpty() ? "none" : known)), "unknown service");
        }
        if (!svc.get().mayBeRunBy(user)) {
            return record(rec, Verdicts.reject(id, "user " + user + " may not run service " + name
                    + " (the policy grants it to: " + String.join(", ", svc.get().allowedUsers()) + ")"), "not granted");
        }
        for (GpuState g : state.gpus()) {
            if (g.services().isEmpty() && g.guests().isEmpty()) {
                GpuId gpu = g.gpu().id();
                rec.put("gpu", gpu.toString());
                Reply reply = Verdicts.service(id, name, gpu, s.serviceSlurmCount());
                record(rec, reply, "placed");
                state.addService(gpu, new ResidentService(id, svc.get(), svc.get().nominalLoad()));
                book.put(new Tracked(id, "service", null, name, Optional.of(gpu), clock.instant(), Optional.empty()));
                return reply;
            }
        }
        return record(rec, Verdicts.reject(id, "no GPU is free for service " + name + " now"), "no free GPU");
    }

    /** Marks GPUs the hook pinned whole-GPU jobs to (not yet seen by reconcile) as full. */
    private void avoid(String list) {
        for (String g : list.split(",")) {
            if (g.isBlank()) {
                continue;
            }
            try {
                GpuId gpu = GpuId.parse(g);
                Optional<GpuState> st = state.gpu(gpu);
                if (st.isPresent() && st.get().guests().stream().noneMatch(x -> x.jobId().startsWith("whole"))) {
                    state.addGuest(gpu, new Guest("whole-pending:" + gpu, "slurm", 100, st.get().gpu().memoryMiB(), false));
                }
            } catch (IllegalArgumentException e) {
                LOG.warning("hook sent an unknown GPU '" + JobOptions.clip(g) + "' in avoid=; ignored");
            }
        }
    }

    /** Appends a decision record (with its verdict and reason) and returns the reply it backs. */
    private Reply record(Map<String, String> rec, Reply reply, String reason) {
        rec.put("verdict", reply.verdict());
        rec.put("reason", reason);
        reply.field("msg").ifPresent(m -> rec.put("msg", m));
        try {
            append(rec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        log.info(() -> "decision " + rec.get("id") + ": " + reply.verdict() + " (" + reason + ")");
        return reply;
    }

    /**
     * Re-runs admission for a held (deferred) job; when it fits now, reserves the GPU and journals a
     * {@code repack} event for the same decision id, saying whether gpucolo releases the job (its own hold) or
     * leaves it held (the user's {@code --hold}). Slurm is told afterwards, outside this lock.
     */
    synchronized Optional<Placement> repack(Tracked t, String jobId, boolean userHold) {
        Map<String, String> ev = new LinkedHashMap<>();
        ev.put("kind", "repack");
        ev.put("id", t.id());
        ev.put("job", jobId);
        ev.put("release", userHold ? "no: the user's own hold stays" : "yes");
        ev.put("at", Long.toString(clock.millis()));
        Decision d = setup.get().admission().admit(t.request(), state, journaled(ev));
        if (d instanceof Decision.Admit a) {
            book.put(t.admitted(a.placement().gpu()));
            return Optional.of(a.placement());
        }
        return Optional.empty();
    }

    /**
     * The bind port of admitd: binding an admission is making it durable. The event gets the verdict and the
     * placement and is appended to the journal; a failed append fails the bind, so admission unreserves.
     */
    private io.gpucolo.admission.pipeline.BindPort journaled(Map<String, String> event) {
        return (q, p) -> {
            event.put("verdict", "admit");
            event.put("gpu", p.gpu().toString());
            event.put("granted", Integer.toString(p.mpsPercent()));
            event.put("mem_limit", Long.toString(p.memoryLimitMiB()));
            try {
                append(event);
                return Status.success();
            } catch (IOException e) {
                return Status.error("journal", "cannot persist the decision: " + e.getMessage());
            }
        };
    }

    /** A journal append on the decision path, timed ({@link PathTimes.Stage#JOURNAL}). */
    private JournalEntry append(Map<String, String> event) throws IOException {
        long t0 = System.nanoTime();
        JournalEntry e = journal.append(event);
        times.journal(System.nanoTime() - t0);
        return e;
    }

    /** Takes back a re-pack Slurm refused: the job stays deferred. */
    synchronized void undoRepack(Tracked deferred, String why) throws IOException {
        state.removeGuest(deferred.id());
        book.put(deferred);
        journal.append(Map.of("kind", "repack-failed", "id", deferred.id(), "reason", why, "at",
                Long.toString(clock.millis())));
    }

    /** Appends any other durable event (bind, release, end) under the same lock as decisions. */
    synchronized JournalEntry note(Map<String, String> fields) throws IOException {
        return journal.append(fields);
    }

    /** Appends several such events with one disk flush (a reconcile's binds and ends), under the same lock. */
    synchronized void noteAll(java.util.List<Map<String, String>> events) throws IOException {
        journal.appendAll(events);
    }
}
