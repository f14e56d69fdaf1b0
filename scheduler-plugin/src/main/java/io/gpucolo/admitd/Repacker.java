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
 * its GPU ({@code scontrol update TresPerNode=gres:mps:gN:P ReqNodeList=NODE AdminComment=...}) and released.
 */
final class Repacker {
    private static final Logger LOG = Logger.getLogger(Repacker.class.getName());
    private final Book book;
    private final Desk desk;
    private final Reconciler reconciler;
    private final SlurmCommands slurm;

    Repacker(Book book, Desk desk, Reconciler reconciler, SlurmCommands slurm) {
        this.book = book;
        this.desk = desk;
        this.reconciler = reconciler;
        this.slurm = slurm;
    }

    /** Returns how many held jobs were released. */
    int run() throws IOException {
        int released = 0;
        for (Tracked t : book.all()) {
            if (!t.kind().equals("defer") || t.jobId().isEmpty()) {
                continue;
            }
            String job = t.jobId().get();
            SlurmJob seen = reconciler.lastSeen().get(job);
            if (seen == null || !seen.held()) {
                continue;
            }
            Optional<Placement> p = desk.repack(t, job);
            if (p.isEmpty()) {
                continue;
            }
            Placement pl = p.get();
            try {
                slurm.pinAndRelease(job, Verdicts.gres(pl.gpu(), pl.mpsPercent()), pl.gpu().node(),
                        Verdicts.note("train", t.id(), pl.gpu(), pl.mpsPercent(), pl.memoryLimitMiB()));
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
