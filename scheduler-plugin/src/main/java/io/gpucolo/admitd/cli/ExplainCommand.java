package io.gpucolo.admitd.cli;

import io.gpucolo.admission.explain.DryRun;
import io.gpucolo.admission.explain.ExplanationFormatter;
import io.gpucolo.admission.inventory.InventoryException;
import io.gpucolo.admission.inventory.RequestFile;
import io.gpucolo.admission.latency.CalibratedLatencyModel;
import io.gpucolo.admission.model.TrainingRequest;
import io.gpucolo.admission.pipeline.Evaluation;
import io.gpucolo.admission.policy.Policy;
import io.gpucolo.admission.state.ClusterState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gpucolo explain}: why admission would place a training job where it would, or not at all. The dry
 * run reads a cluster-state file ({@code --cluster}), the policy ({@code --policy}, default built-in) and the
 * request (flags or {@code --request FILE}), runs the production pipeline without side effects and prints
 * the decision and, per GPU, why it was filtered or how it scored. Exit 0 after printing, 2 on bad input.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Dry run of admission: print the decision for a training request and, per GPU, why it was "
                + "filtered or how it scored.")
public final class ExplainCommand implements Callable<Integer> {
    private static final Pattern MEMORY = Pattern.compile("(\\d{1,12})([KMGT]?)(i?B)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(s|m|min|h|d)?");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(paramLabel = "JOBID", arity = "0..1",
            description = "a Slurm job id: explain its decision from the audit log (needs --policy for the store)")
    String jobId;

    @Option(names = "--cluster", paramLabel = "FILE",
            description = "cluster-state file (YAML, see etc/cluster.yaml.example); required for a dry run")
    Path cluster;

    @Option(names = "--policy", paramLabel = "FILE", description = "policy file (default: built-in defaults)")
    Path policy;

    @Option(names = "--placement", paramLabel = "NAME",
            description = "placement policy instead of the file's: headroom, first-fit, dedicated, static-share")
    String placement;

    @Option(names = "--request", paramLabel = "FILE", description = "request file (YAML); replaces the flags below")
    Path request;

    @Option(names = "--job", paramLabel = "ID", defaultValue = "dry-run", description = "job id (default: ${DEFAULT-VALUE})")
    String job;

    @Option(names = "--owner", paramLabel = "USER", description = "submitting user (default: $USER)")
    String owner;

    @Option(names = "--share", paramLabel = "PERCENT", description = "GPU share wanted, 1..100 (MPS percent)")
    Integer share;

    @Option(names = "--mem", paramLabel = "SIZE", description = "GPU memory, MiB or with a unit: 8192, 8192M, 8G")
    String memory;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "1h",
            description = "expected run time: seconds or with a unit s, m, h, d (default: ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--restartable", description = "the job may be checkpointed and requeued")
    boolean restartable;

    @Option(names = "--partition", defaultValue = "", description = "Slurm partition")
    String partition;

    @Option(names = "--qos", defaultValue = "", description = "Slurm QOS")
    String qos;

    @Option(names = "--account", defaultValue = "", description = "Slurm account")
    String account;

    @Option(names = "--all", description = "list every GPU (default: at most 40 lines)")
    boolean all;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (jobId != null) {
            int rc = JobExplain.run(jobId, policy != null ? policy : Path.of("/etc/gpucolo/gpucolo.yaml"), out, err);
            out.flush();
            err.flush();
            return rc;
        }
        if (cluster == null) {
            err.println("gpucolo explain: give a JOBID (audit log) or --cluster FILE (dry run)");
            err.flush();
            return 2;
        }
        try {
            DryRun dry = new DryRun(CalibratedLatencyModel.builtIn());
            Policy p = dry.policy(policy);
            ClusterState state = dry.cluster(cluster, p);
            TrainingRequest r = request != null ? RequestFile.read(request) : fromFlags();
            Evaluation e = dry.evaluate(p, placement, state, r);
            out.print(new ExplanationFormatter(all ? Integer.MAX_VALUE : 40).format(e));
            out.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(e instanceof InventoryException ? e.getMessage() : "gpucolo explain: " + e.getMessage());
            err.flush();
            return 2;
        }
    }

    private TrainingRequest fromFlags() {
        if (share == null || memory == null) {
            throw new IllegalArgumentException("give --share and --mem (or --request FILE)");
        }
        String user = owner != null ? owner : System.getProperty("user.name", "");
        return new TrainingRequest(job, user, share, memoryMiB(memory), duration(duration), restartable, partition,
                qos, account);
    }

    /** {@code 8192}, {@code 8192M}, {@code 8G}, {@code 8GiB}: MiB, Slurm style (no unit = MiB). */
    static long memoryMiB(String text) {
        Matcher m = MEMORY.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("--mem: expected a size like 8192, 8192M or 8G, got '" + text + "'");
        }
        long v = Long.parseLong(m.group(1));
        long mib = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> v / 1024;
            case "G" -> v * 1024;
            case "T" -> v * 1024 * 1024;
            default -> v;
        };
        if (mib <= 0) {
            throw new IllegalArgumentException("--mem: GPU memory must be positive, got '" + text + "'");
        }
        return mib;
    }

    /** {@code 3600}, {@code 90s}, {@code 30m}, {@code 2h}, {@code 1d}. */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("--duration: expected a time like 3600, 90s, 30m, 2h or 1d, got '"
                    + text + "'");
        }
        long v = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "m", "min" -> Duration.ofMinutes(v);
            case "h" -> Duration.ofHours(v);
            case "d" -> Duration.ofDays(v);
            default -> Duration.ofSeconds(v);
        };
        if (d.isZero()) {
            throw new IllegalArgumentException("--duration: expected run time must be positive, got '" + text + "'");
        }
        return d;
    }
}
