package io.gpucolo.admitd;

import io.gpucolo.admission.model.Placement;
import io.gpucolo.admitd.slurm.SlurmCommands;
import io.gpucolo.admitd.slurm.SlurmFormatException;
import io.gpucolo.admitd.slurm.SlurmJob;
import java.io.IOException;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Re-packs deferred training jobs when headroom appears: each held job whose request fits now is pinned to
 * its GPU ({@code scontrol update TresPerNode=gres:mps:gN:P ReqNodeList=NODE AdminComment=...}) and released,
 * unless its user submitted it with {@code --hold} ({@code user-hold} in its admin comment): gpucolo releases
 * only the holds it placed itself, so that job stays held, pinned, until its user releases it.
 */
final class Repacker {
    private static final Logger LOG = Logger.getLogger(Repacker.class.getName());
    private final Book book;
    private final Desk desk;
    private final Reconciler reconciler;
    private final SlurmCommands slurm;
    private final io.gpucolo.admission.state.ClusterState state;
    /** Decision id → the cluster-state version it was last re-evaluated on. */
    private final java.util.Map<String, Long> triedAt = new java.util.HashMap<>();

    Repacker(Book book, Desk desk, Reconciler reconciler, SlurmCommands slurm,
             io.gpucolo.admission.state.ClusterState state) {
        this.state = state;
        this.book = book;
        this.desk = desk;
        this.reconciler = reconciler;
        this.slurm = slurm;
    }

    /**
     * Returns how many held jobs were released. Runs only when the cluster state changed since the last pass
     * (room may have appeared): a held job was refused on the state it was decided on, so re-evaluating an
     * unchanged state decides nothing new and would only compete with the hook for the decision lock and CPU.
     */
    int run() throws IOException {
        int released = 0;
        long version = state.version();
        triedAt.keySet().retainAll(book.all().stream().map(Tracked::id).toList());
        for (Tracked t : book.all()) {
            if (!t.kind().equals("defer") || t.jobId().isEmpty()) {
                continue;
            }
            String job = t.jobId().get();
            SlurmJob seen = reconciler.lastSeen().get(job);
            if (seen == null || !seen.held() || Long.valueOf(version).equals(triedAt.get(t.id()))) {
                continue;
            }
            triedAt.put(t.id(), version);
            boolean userHold = (" " + seen.adminComment() + " ").contains(" " + Verdicts.USER_HOLD + " ");
            Optional<Placement> p = desk.repack(t, job, userHold);
            if (p.isEmpty()) {
                continue;
            }
            Placement pl = p.get();
            try {
                String note = Verdicts.note("train", t.id(), pl.gpu(), pl.mpsPercent(), pl.memoryLimitMiB())
                        + (userHold ? " " + Verdicts.USER_HOLD : "");
                slurm.pin(job, Verdicts.gres(pl.gpu(), pl.mpsPercent()), pl.gpu().node(), note);
                if (userHold) {
                    LOG.info(() -> "decision " + t.id() + ": job " + job + " re-packed on " + pl.gpu()
                            + "; left held: its user submitted it with --hold");
                    continue;
                }
                slurm.release(job);
                released++;
                LOG.info(() -> "decision " + t.id() + ": job " + job + " re-packed on " + pl.gpu() + " and released");
            } catch (SlurmFormatException e) {
                LOG.warning("decision " + t.id() + ": job " + job + ": could not pin and release: " + e.getMessage());
                desk.undoRepack(t, e.getMessage());
            }
        }
        return released;
    }
}
