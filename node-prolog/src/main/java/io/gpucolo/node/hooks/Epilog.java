package io.gpucolo.node.hooks;

import io.gpucolo.node.mps.MpsControl;
import io.gpucolo.node.mps.MpsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Slurm's Epilog (root, no PATH). In order: deregister from noded (which resumes what it stopped), or, when noded does
 * not confirm that, resume every process of the job still stopped (the safety net when noded is down: a /proc scan), drop the job from its GPU's registry and quit
 * that GPU's MPS daemon when it was the last MPS job there, remove the job's files. Always exits 0 (a failing Epilog
 * drains the node): an MPS daemon that will not quit drains the node itself with a clear reason, as Slurm's MPS
 * example does. Idempotent; a job that died between prolog and epilog, or never had a prolog, is handled alike.
 */
final class Epilog {
    private final HookConfig cfg;
    private final MpsControl mps;
    private final ProcessResumer resumer;

    Epilog(HookConfig cfg, MpsControl mps, ProcessResumer resumer) {
        this.cfg = cfg;
        this.mps = mps;
        this.resumer = resumer;
    }

    int run(SlurmJob job, HookLog log) throws IOException {
        Optional<JobFile> file;
        try {
            file = JobFile.read(cfg.jobFile(job.jobId()));
        } catch (IllegalArgumentException e) {
            log.warn(e.getMessage() + "; cleaning up by job id only");
            file = Optional.empty();
        }
        int byNoded = file.isPresent() ? new Noded(cfg, log).deregister(job.jobId()) : -1;
        if (byNoded > 0) {
            log.info("noded resumed " + byNoded + " process(es)");
        }
        if (byNoded < 0) {
            // noded did not confirm (down, unreachable, or the job was never registered): the safety net, a /proc scan
            List<Long> stopped = resumer.stopped(job.jobId());
            if (!stopped.isEmpty()) {
                log.info("resumed stopped process(es) " + stopped + " (SIGCONT)");
                resumer.resume(stopped);
            }
        }
        for (int gpu : gpusOf(file)) {
            leaveGpu(job, gpu, log);
        }
        Files.deleteIfExists(cfg.jobFile(job.jobId()));
        deleteTree(cfg.launcherDir(job.jobId()));
        deleteTree(cfg.noMpsDir(job.jobId()));
        return 0;
    }

    /** The GPU the job file names, or, without one, every GPU whose registry lists the job (a lost job file). */
    private List<Integer> gpusOf(Optional<JobFile> file) throws IOException {
        if (file.isPresent()) {
            return List.of(file.get().gpu());
        }
        Path root = cfg.stateDir().resolve("gpus");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("g[0-9]{1,4}")).map(n -> Integer.parseInt(n.substring(1))).sorted().toList();
        }
    }

    private void leaveGpu(SlurmJob job, int gpu, HookLog log) throws IOException {
        try (GpuRegistry reg = GpuRegistry.lock(cfg.gpuRegistry(gpu))) {
            Map<String, Long> jobs = reg.jobs();
            if (!jobs.containsKey(job.jobId())) {
                return;
            }
            reg.remove(job.jobId());
            if (jobs.size() > 1) {
                return;
            }
            try {
                mps.quit(gpu);
                log.info("last MPS job on GPU " + gpu + ": MPS control daemon quit");
            } catch (MpsException e) {
                String reason = "gpucolo: MPS daemon for GPU " + gpu + " will not quit: " + e.getMessage();
                log.warn(reason);
                drain(job, reason, log);
            }
        }
    }

    private void drain(SlurmJob job, String reason, HookLog log) {
        if (job.node().isEmpty()) {
            log.warn("SLURMD_NODENAME not set: cannot drain the node");
            return;
        }
        try {
            new Slurm(cfg).drain(job.node(), reason);
            log.warn("drained node " + job.node());
        } catch (IOException e) {
            log.warn("could not drain node " + job.node() + ": " + e.getMessage());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
