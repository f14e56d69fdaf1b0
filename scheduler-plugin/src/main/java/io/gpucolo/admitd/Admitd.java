package io.gpucolo.admitd;

import io.gpucolo.admission.latency.LatencyModel;
import io.gpucolo.admission.model.Cluster;
import io.gpucolo.admission.model.Gpu;
import io.gpucolo.admission.model.GpuId;
import io.gpucolo.admission.model.Node;
import io.gpucolo.admission.pipeline.Admission;
import io.gpucolo.admission.plugins.Policies;
import io.gpucolo.admission.policy.LoadedPolicy;
import io.gpucolo.admission.policy.PolicyHolder;
import io.gpucolo.admission.state.ClusterState;
import io.gpucolo.admitd.jobs.Periodic;
import io.gpucolo.admitd.journal.DecisionJournal;
import io.gpucolo.admitd.journal.JournalEntry;
import io.gpucolo.admitd.protocol.ProtocolException;
import io.gpucolo.admitd.protocol.Reply;
import io.gpucolo.admitd.protocol.Request;
import io.gpucolo.admission.model.TrainingRequest;
import io.gpucolo.admitd.slurm.SlurmCommands;
import io.gpucolo.admitd.slurm.SlurmFormatException;
import io.gpucolo.store.Store;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * The admission daemon, wired by hand: hook server ({@link HookServer}) → {@link Desk} (in-memory state,
 * journal) and, on Quartz, reconcile with Slurm, re-pack held jobs, drain the journal to the audit log and
 * reload the policy.
 */
public final class Admitd implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Admitd.class.getName());

    /** What the daemon needs from its command line. */
    public record Options(Path policyFile, Path journal, Path secretFile, Path hookConf, String slurmConf,
                          String gpuModel, long gpuMemoryMiB, int portOverride, Duration reconcileOverride,
                          DecisionJournal.Sync journalSync, long journalCompactBytes, Path socket, boolean realtime) {
    }

    /** Scratch requests run through the whole request path after start ({@link WarmUp}). */
    static final int WARM_UP_REQUESTS = 4000;

    private final HookServer server;
    private final Periodic periodic;
    private final DecisionJournal journal;
    private final Store audit;

    private Admitd(HookServer server, Periodic periodic, DecisionJournal journal, Store audit) {
        this.server = server;
        this.periodic = periodic;
        this.journal = journal;
        this.audit = audit;
    }

    public int port() {
        return server.port();
    }

    /** Starts the daemon; returns when it is listening. */
    public static Admitd start(Options o, PolicyHolder policies, LatencyModel model, Store audit, String secret)
            throws Exception {
        SlurmCommands slurm = new SlurmCommands(o.slurmConf(), Duration.ofSeconds(20));
        List<GpuId> gpus = inventory(slurm);
        ClusterState state = new ClusterState(cluster(gpus, o.gpuModel(), o.gpuMemoryMiB()));
        AtomicReference<Setup> setup = new AtomicReference<>(setup(policies.current(), model));
        DecisionJournal journal = DecisionJournal.open(o.journal(), o.journalSync(), o.journalCompactBytes());
        Book book = new Book();
        int restored = Restore.apply(journal.replayed(), setup.get().policy(), state, book);
        LOG.info("journal " + o.journal() + ": " + journal.replayed().size() + " events replayed, " + restored
                + " decisions followed again");
        InstantSource clock = InstantSource.system();
        PathTimes times = new PathTimes();
        Desk desk = new Desk(setup::get, state, journal, book, clock, times);
        Reconciler reconciler = new Reconciler(state, book, desk, clock);
        Repacker repacker = new Repacker(book, desk, reconciler, slurm, state);
        Evictor evictor = new Evictor(state, book, desk, setup::get, audit, slurm, clock);
        StatusView status = new StatusView(state, book, setup::get);
        warmUp(setup.get(), state);
        var a = setup.get().policy().admitd();
        int port = o.portOverride() > 0 ? o.portOverride() : a.port();
        PeerCheck peers = PeerCheck.forUser(a.allowedPeer());
        HookServer server = new HookServer(InetAddress.getByName(a.listenAddress()), port, o.socket(), secret, peers, r -> switch (r.op()) {
            case "ping" -> new Reply("ok", Map.of("decisions", Integer.toString(book.size())));
            case "status" -> status.reply();
            default -> desk.decide(r);
        }, times, o.realtime());
        status.serving(times, journal::forceTimes, server::hookThread);
        HookSettings.write(o.hookConf(), HookSettings.render(setup.get().policy(), server.port(), o.socket(), o.secretFile(), gpus, peers.allowed()));
        Thread warm = new Thread(() -> WarmUp.run(setup::get, state.cluster(), WARM_UP_REQUESTS), "admitd-warmup");
        warm.setDaemon(true);                             // serving already: the first requests are only slower
        warm.start();
        Periodic periodic = new Periodic("admitd");
        Duration reconcile = o.reconcileOverride() != null ? o.reconcileOverride() : a.reconcilePeriod();
        periodic.every("reconcile", reconcile, () -> {
            try {
                reconciler.apply(slurm.jobs());
                evictor.run();
                repacker.run();
            } catch (SlurmFormatException e) {
                LOG.severe("reconcile skipped: " + e.getMessage());
            } catch (IOException e) {
                LOG.severe("reconcile: journal write failed: " + e.getMessage());
            }
        });
        periodic.every("drain", Duration.ofMillis(500), () -> {
            if (drain(journal, audit)) {
                compact(journal, audit, book);
            }
        });
        periodic.every("policy", Duration.ofSeconds(5), () -> {
            var result = policies.reload();
            if (result instanceof PolicyHolder.Reload.Applied) {
                setup.set(setup(policies.current(), model));
                try {
                    HookSettings.write(o.hookConf(), HookSettings.render(setup.get().policy(), server.port(),
                            o.socket(), o.secretFile(), gpus, peers.allowed()));
                } catch (IOException e) {
                    LOG.severe("cannot rewrite " + o.hookConf() + ": " + e.getMessage());
                }
            }
            if (!(result instanceof PolicyHolder.Reload.Unchanged)) {
                LOG.info("policy: " + result.describe());
            }
        });
        return new Admitd(server, periodic, journal, audit);
    }

    /**
     * Runs the decision path side-effect-free a few thousand times before listening, so that the first real
     * submissions do not pay class loading and compilation beyond the hook's deadline.
     */
    private static void warmUp(Setup s, ClusterState state) {
        long t0 = System.nanoTime();
        for (int i = 0; i < 3000; i++) {
            try {
                Request r = Request.parse(new Request("train", Map.of("comment", s.policy().slurm().trainingComment()
                        + " share=" + (10 + i % 50) + " mem=2G", "user", "warmup")).encode("warmup-secret-0000")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII), "warmup-secret-0000");
                s.admission().decide(new TrainingRequest("warmup" + i, "warmup", 10 + i % 50, 2048,
                        Duration.ofHours(1), false, "", "", ""), state);
                new Reply("ok", r.fields()).encode();
            } catch (ProtocolException | RuntimeException e) {
                LOG.warning("warm-up: " + e.getMessage());
                return;
            }
        }
        LOG.info("warm-up done in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    static Setup setup(LoadedPolicy loaded, LatencyModel model) {
        return new Setup(loaded.policy(), new Admission(Policies.from(loaded.policy(), model)), loaded.version());
    }

    private static List<GpuId> inventory(SlurmCommands slurm) throws SlurmFormatException, InterruptedException {
        SlurmFormatException last = null;
        for (int i = 0; i < 30; i++) {
            try {
                List<GpuId> gpus = slurm.gpus();
                if (gpus.isEmpty()) {
                    throw new SlurmFormatException("sinfo shows no typed GPU (Gres=gpu:gN:1); see docs/SLURM-INTEGRATION.md");
                }
                return gpus;
            } catch (SlurmFormatException e) {
                last = e;
                LOG.warning("waiting for Slurm: " + e.getMessage());
                Thread.sleep(1000);
            }
        }
        throw last;
    }

    static Cluster cluster(List<GpuId> gpus, String model, long memMiB) {
        Map<String, List<Gpu>> byNode = new TreeMap<>();
        for (GpuId g : gpus) {
            byNode.computeIfAbsent(g.node(), n -> new ArrayList<>()).add(new Gpu(g, model, memMiB, 108));
        }
        List<Node> nodes = new ArrayList<>();
        byNode.forEach((n, list) -> {
            list.sort((x, y) -> x.id().compareTo(y.id()));
            nodes.add(new Node(n, list, Set.of()));
        });
        return new Cluster(nodes);
    }

    /**
     * Moves journal events to the store's audit log; on failure they stay queued (and in the journal).
     *
     * @return whether the store took everything handed to it
     */
    private static boolean drain(DecisionJournal journal, Store audit) {
        List<JournalEntry> batch = List.of();
        try {
            batch = journal.takeUndrained(audit.lastSeq(), 500);
            if (!batch.isEmpty()) {
                audit.recordDecisions(batch.stream().map(AuditRows::of).toList());
            }
            return true;
        } catch (RuntimeException e) {
            journal.requeue(batch);
            LOG.warning("audit log unavailable, " + batch.size() + " events kept in the journal: " + e.getMessage());
            return false;
        }
    }

    /**
     * Compacts the journal once it is large: what the store holds and no followed decision needs goes. The
     * store's {@code lastSeq} is read first, so every event dropped is committed there.
     */
    private static void compact(DecisionJournal journal, Store audit, Book book) {
        if (!journal.wantsCompaction()) {
            return;
        }
        try {
            long before = journal.usedBytes();
            int dropped = journal.compact(audit.lastSeq(), id -> book.get(id).isPresent());
            LOG.info("journal compacted: " + dropped + " events in the audit log dropped, " + before + " -> "
                    + journal.usedBytes() + " bytes");
        } catch (IOException | RuntimeException e) {
            LOG.warning("journal compaction failed (the journal is unchanged): " + e.getMessage());
        }
    }

    @Override
    public void close() throws Exception {
        periodic.close();
        server.close();
        drain(journal, audit);
        audit.close();
        journal.close();
    }
}
