package io.gpucolo.admitd.slurm;

import io.gpucolo.admission.model.GpuId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;

/**
 * The Slurm client commands admitd runs (never on the submit hook's path): argument lists through Commons
 * Exec, never a shell string, each with a timeout. Output is parsed by {@link SlurmJson}; failures name the
 * command, its exit status and its stderr.
 */
public final class SlurmCommands {
    private final Map<String, String> env;
    private final Duration timeout;

    /** @param slurmConf the {@code SLURM_CONF} the clients use, or null for the system default */
    public SlurmCommands(String slurmConf, Duration timeout) {
        Map<String, String> e = new HashMap<>(System.getenv());
        if (slurmConf != null) {
            e.put("SLURM_CONF", slurmConf);
        }
        this.env = Map.copyOf(e);
        this.timeout = timeout;
    }

    /** Runs a program with arguments (each passed as one argv entry, unquoted) and returns its stdout. */
    public String run(String program, List<String> args) throws SlurmFormatException {
        Output out = execute(program, args);
        return new String(out.array(), 0, out.size(), StandardCharsets.UTF_8);
    }

    /**
     * A byte buffer kept per thread and reused: {@code squeue --json} of thousands of jobs is several MB every
     * reconcile period, and growing a fresh buffer to that size each time (then copying it into a string) made most
     * of admitd's garbage, hence its collector's pauses, which a submission arriving at that moment waits for.
     */
    private static final class Output extends ByteArrayOutputStream {
        Output() {
            super(64 * 1024);
        }

        byte[] array() {
            return buf;
        }
    }

    private static final ThreadLocal<Output> OUTPUT = ThreadLocal.withInitial(Output::new);

    /** Runs the command into this thread's output buffer (valid until this thread runs the next command). */
    private Output execute(String program, List<String> args) throws SlurmFormatException {
        CommandLine cl = new CommandLine(program);
        for (String a : args) {
            cl.addArgument(a, false);
        }
        Output out = OUTPUT.get();
        out.reset();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DefaultExecutor ex = DefaultExecutor.builder().get();
        ex.setStreamHandler(new PumpStreamHandler(out, err));
        ExecuteWatchdog dog = ExecuteWatchdog.builder().setTimeout(timeout).get();
        ex.setWatchdog(dog);
        String what = program + " " + String.join(" ", args);
        try {
            ex.execute(cl, env);
        } catch (ExecuteException e) {
            String why = dog.killedProcess() ? "timed out after " + timeout.toMillis() + " ms" : "exit " + e.getExitValue();
            throw new SlurmFormatException(what + ": " + why + ": " + err.toString(StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new SlurmFormatException(what + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Every job Slurm knows ({@code squeue --json}). */
    public List<SlurmJob> jobs() throws SlurmFormatException {
        Output out = execute("squeue", List.of("--json"));
        return SlurmJson.jobs(out.array(), out.size());
    }

    /** Every typed GPU of every node ({@code sinfo --json}). */
    public List<GpuId> gpus() throws SlurmFormatException {
        return SlurmJson.gpus(run("sinfo", List.of("--json")));
    }

    /** Pins a held job to a GPU (it stays held). */
    public void pin(String jobId, String tresPerNode, String node, String adminComment) throws SlurmFormatException {
        run("scontrol", List.of("update", "JobId=" + jobId, "TresPerNode=" + tresPerNode, "ReqNodeList=" + node,
                "AdminComment=" + adminComment));
    }

    /** Releases a held job. */
    public void release(String jobId) throws SlurmFormatException {
        run("scontrol", List.of("release", jobId));
    }

    public void suspend(String jobId) throws SlurmFormatException {
        run("scontrol", List.of("suspend", jobId));
    }

    public void requeue(String jobId) throws SlurmFormatException {
        run("scontrol", List.of("requeue", jobId));
    }
}
