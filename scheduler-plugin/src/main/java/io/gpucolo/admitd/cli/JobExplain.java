package io.gpucolo.admitd.cli;

import io.gpucolo.admission.policy.LatencyFloor;
import io.gpucolo.admission.policy.LoadResult;
import io.gpucolo.admission.policy.PolicyLoader;
import io.gpucolo.admitd.protocol.ProtocolException;
import io.gpucolo.admitd.protocol.Wire;
import io.gpucolo.store.AuditEntry;
import io.gpucolo.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * {@code gpucolo explain JOBID}: the audit log's story of one Slurm job: its decision (verdict, reason,
 * placement, the policy version and what the decision saw), its binding to the job id, re-packs, its end.
 */
final class JobExplain {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private JobExplain() {
    }

    /** Returns the exit code: 0 printed, 1 nothing known about the job, 2 bad input. */
    static int run(String jobId, Path policyFile, PrintWriter out, PrintWriter err) {
        if (!jobId.matches("[0-9]{1,18}(_[0-9]+)?")) {
            err.println("gpucolo explain: '" + jobId + "' is not a Slurm job id");
            return 2;
        }
        LoadResult lr = new PolicyLoader(LatencyFloor.NONE).load(policyFile);
        if (lr instanceof LoadResult.Invalid bad) {
            bad.problems().forEach(err::println);
            err.println(policyFile + ": policy refused");
            return 2;
        }
        try (Store store = Stores.open(((LoadResult.Valid) lr).loaded().policy())) {
            List<AuditEntry> rows = store.decisions(jobId);
            if (rows.isEmpty()) {
                err.println("gpucolo explain: the audit log (" + store.location() + ") holds nothing about job " + jobId
                        + " (not a gpucolo job, or decided when admitd was down: see its AdminComment)");
                return 1;
            }
            out.println("job " + jobId + " (decision " + rows.get(0).decisionId() + ", policy " + rows.get(0).policyVersion() + ")");
            for (AuditEntry e : rows) {
                out.printf("  %s UTC  %-13s %s%s%n", TIME.format(e.at()), e.kind(),
                        e.placement().isEmpty() ? "" : "on " + e.placement() + "  ", e.reason());
                if (!e.inputs().isEmpty()) {
                    out.println("      saw: " + inputs(e.inputs()));
                }
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("gpucolo explain: cannot read the audit log: " + e.getMessage());
            return 1;
        }
    }

    /** Decodes the percent-encoded inputs for reading ({@code key="value"}, control characters shown as ?). */
    static String inputs(String encoded) {
        StringBuilder sb = new StringBuilder();
        for (String kv : encoded.split(" ")) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String v;
            try {
                v = Wire.decode(kv.substring(eq + 1)).replaceAll("\\p{Cntrl}", "?");
            } catch (ProtocolException e) {
                v = kv.substring(eq + 1);
            }
            sb.append(sb.length() == 0 ? "" : " ").append(kv, 0, eq).append("=\"").append(v).append('"');
        }
        return sb.toString();
    }
}
