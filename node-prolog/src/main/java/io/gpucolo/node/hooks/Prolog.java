package io.gpucolo.node.hooks;

import io.gpucolo.admission.model.InferenceService;
import io.gpucolo.admission.policy.LatencyFloor;
import io.gpucolo.admission.policy.LoadResult;
import io.gpucolo.admission.policy.PolicyLoader;
import io.gpucolo.node.mps.MpsControl;
import io.gpucolo.node.mps.MpsException;
import io.gpucolo.node.noded.JobRegistration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Slurm's Prolog (root, no PATH): plan ({@link Planner}), then apply: under the GPU's registry lock make sure the
 * GPU's MPS daemon runs (start it with the default active-thread percentage at 100, so inference is never capped;
 * guests are capped through their own environment), record the job, write the job file for the TaskProlog and the
 * epilog, create the job's launcher directory owned by its user; then register with noded. Idempotent: a second run
 * rewrites the same files. An MPS daemon that will not start drains the node with a clear reason (exit 1), rather
 * than run a job on a broken GPU.
 */
final class Prolog {
    private final HookConfig cfg;
    private final MpsControl mps;
    private final Slurm slurm;

    Prolog(HookConfig cfg, MpsControl mps) {
        this.cfg = cfg;
        this.mps = mps;
        this.slurm = new Slurm(cfg);
    }

    /** Returns the exit code: 0, or 1 after draining the node. */
    int run(SlurmJob job, HookLog log) throws IOException {
        Optional<String> comment;
        try {
            comment = slurm.adminComment(job.jobId());
        } catch (IOException e) {
            log.warn("cannot read the admission decision (" + e.getMessage() + "); the job runs as Slurm set it up");
            return 0;
        }
        Optional<Decision> decision;
        try {
            decision = Decision.parse(comment.orElse(null));
        } catch (IllegalArgumentException e) {
            log.warn(e.getMessage() + "; the job runs as Slurm set it up, not co-located");
            return 0;
        }
        if (decision.isEmpty()) {
            return 0;
        }
        int gpu = decision.get().gpu().index();
        if (!job.gpus().isEmpty() && !job.gpus().contains(gpu)) {
            gpu = job.gpus().get(0); // Slurm's allocation wins; the planner logs the mismatch
        }
        Plan.Colocate plan;
        try (GpuRegistry reg = GpuRegistry.lock(cfg.gpuRegistry(gpu))) {
            plan = (Plan.Colocate) Planner.prolog(job, comment, reg.jobs());
            plan.warnings().forEach(log::warn);
            if (plan.mps() && !ensureMps(plan.gpu(), job, log)) {
                return 1;
            }
            if (plan.mps()) {
                reg.add(job.jobId(), job.uid());
            }
            writeFiles(plan, log);
        }
        register(plan, log);
        log.info("GPU " + plan.gpu() + (plan.mps() ? " under MPS" : " outside MPS (time-sliced)") + ", "
                + plan.decision().role().name().toLowerCase(java.util.Locale.ROOT) + " share " + plan.decision().share() + "%");
        return 0;
    }

    private boolean ensureMps(int gpu, SlurmJob job, HookLog log) {
        if (mps.running(gpu)) {
            return true;
        }
        String last = "";
        for (int attempt = 1; attempt <= 2; attempt++) {
            try {
                mps.start(gpu);
                List<String> out = mps.command(gpu, "set_default_active_thread_percentage 100");
                if (out.stream().anyMatch(l -> l.startsWith("Error"))) {
                    throw new MpsException("GPU " + gpu + ": " + String.join(" ", out));
                }
                log.info("started the MPS control daemon of GPU " + gpu);
                return true;
            } catch (MpsException e) {
                last = e.getMessage();
                log.warn("MPS start attempt " + attempt + " failed: " + last);
            }
        }
        String reason = "gpucolo: MPS daemon for GPU " + gpu + " will not start: " + last;
        try {
            if (job.node().isEmpty()) {
                log.warn("SLURMD_NODENAME not set: cannot drain; failing the prolog (Slurm drains the node)");
            } else {
                slurm.drain(job.node(), reason);
                log.warn("drained node " + job.node() + ": " + reason);
            }
        } catch (IOException e) {
            log.warn("could not drain the node (" + e.getMessage() + "); failing the prolog, Slurm drains it");
        }
        return false;
    }

    private void writeFiles(Plan.Colocate plan, HookLog log) throws IOException {
        plan.jobFile().write(cfg.jobFile(plan.jobId()));
        if (!plan.mps()) {
            Files.createDirectories(cfg.noMpsDir(plan.jobId()));
        }
        if (plan.decision().role() == Decision.Role.TRAINING) {
            Path dir = cfg.launcherDir(plan.jobId());
            Files.createDirectories(dir);
            try {
                Files.setAttribute(dir, "unix:uid", (int) plan.uid());
            } catch (IOException | UnsupportedOperationException e) {
                log.warn("cannot give " + dir + " to uid " + plan.uid() + ": " + e.getMessage());
            }
        }
    }

    private void register(Plan.Colocate plan, HookLog log) {
        Noded noded = new Noded(cfg, log);
        Decision d = plan.decision();
        if (d.role() == Decision.Role.TRAINING) {
            noded.register(JobRegistration.training(plan.jobId(), plan.gpu(), List.of(),
                    cfg.launcherDir(plan.jobId()).resolve("launcher.sock").toString(), d.share()));
            return;
        }
        Optional<Double> slo = sloOf(d.service(), log);
        if (slo.isPresent()) {
            noded.register(JobRegistration.inference(plan.jobId(), plan.gpu(), d.service(), slo.get(), null, null));
        }
    }

    private Optional<Double> sloOf(String service, HookLog log) {
        LoadResult r = new PolicyLoader(LatencyFloor.NONE).load(cfg.policy());
        if (r instanceof LoadResult.Valid v) {
            for (InferenceService s : v.loaded().policy().services()) {
                if (s.name().equals(service)) {
                    return Optional.of(s.sloP99Ms());
                }
            }
            log.warn("service " + service + " is not in " + cfg.policy() + "; not registered with noded");
        } else {
            log.warn("policy " + cfg.policy() + " is not valid; service " + service + " not registered with noded");
        }
        return Optional.empty();
    }

}
