package io.gpucolo.admitd.bench;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every real-Slurm benchmark shares (a picocli mixin): the lab directory and admitd's journal mode. */
final class LabOptions {
    @Option(names = "--journal-sync", defaultValue = "ALWAYS",
            description = "admitd's journal mode: ALWAYS or BATCHED (default: ${DEFAULT-VALUE})")
    String journalSync;

    @Option(names = "--lab", defaultValue = "/tmp/gpucolo-lab", description = "lab directory (default: ${DEFAULT-VALUE})")
    Path labDir;

    /** A lab in the repository found by {@link LabCluster#findRoot()}, with admitd in the chosen journal mode. */
    LabCluster cluster() {
        LabCluster lab = new LabCluster(LabCluster.findRoot(), labDir);
        lab.journalSync(journalSync);
        return lab;
    }
}
