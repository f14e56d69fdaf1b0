package io.gpucolo.admitd;

import io.gpucolo.admission.model.Decision;
import io.gpucolo.admission.model.GpuId;
import io.gpucolo.admission.model.Placement;
import io.gpucolo.admitd.protocol.Reply;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one adapter from admission decisions to what Slurm does with the job: typed-GRES pinning
 * ({@code gres:mps:gN:P} on node N) and the {@code admin_comment} record for an admit, a hold for a
 * deferral, a user-visible refusal for a reject. The admin comment's grammar,
 * {@code gpucolo:KIND id=dN gpu=NODE:gK share=P mem=MiB [user-hold]}, is what the hook's whole-GPU guard and
 * reconcile read back.
 */
final class Verdicts {
    private Verdicts() {
    }

    static String gres(GpuId gpu, int count) {
        return "gres:mps:" + gpu.gresType() + ":" + count;
    }

    static Reply admit(String id, Placement p) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", id);
        f.put("tres", gres(p.gpu(), p.mpsPercent()));
        f.put("nodes", p.gpu().node());
        f.put("gpu", p.gpu().toString());
        f.put("note", note("train", id, p.gpu(), p.mpsPercent(), p.memoryLimitMiB()));
        f.put("msg", "gpucolo: placed on " + p.gpu() + " with " + p.mpsPercent() + "% of the GPU and "
                + p.memoryLimitMiB() + " MiB (decision " + id + ")");
        return new Reply("admit", f);
    }

    static Reply service(String id, String name, GpuId gpu, int slurmCount) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", id);
        f.put("tres", gres(gpu, slurmCount));
        f.put("nodes", gpu.node());
        f.put("gpu", gpu.toString());
        f.put("note", "gpucolo:service id=" + id + " gpu=" + gpu + " name=" + name);
        f.put("msg", "gpucolo: service " + name + " placed on " + gpu + " (decision " + id + ")");
        return new Reply("admit", f);
    }

    /** The admin-comment word that records a hold the user asked for at submission ({@code sbatch --hold}). */
    static final String USER_HOLD = "user-hold";

    static Reply of(String id, Decision d, int share, long memMiB, boolean userHold) {
        if (d instanceof Decision.Admit a) {
            return admit(id, a.placement());
        }
        if (d instanceof Decision.Defer df) {
            return new Reply("defer", Map.of("id", id,
                    "note", "gpucolo:defer id=" + id + " share=" + share + " mem=" + memMiB + (userHold ? " " + USER_HOLD : ""),
                    "msg", "gpucolo: no GPU has room now (" + df.reason() + "); the job is held and "
                            + (userHold ? "placed when headroom appears, then stays held until you release it"
                            : "released when headroom appears") + " (decision " + id + ")"));
        }
        Decision.Reject r = (Decision.Reject) d;
        return reject(id, r.reason() + (r.couldEverSucceed() ? "" : " (can never fit as written)"));
    }

    static Reply reject(String id, String reason) {
        return new Reply("reject", Map.of("id", id, "msg", "gpucolo: rejected: " + reason + " (decision " + id + ")"));
    }

    static String note(String kind, String id, GpuId gpu, int share, long memMiB) {
        return "gpucolo:" + kind + " id=" + id + " gpu=" + gpu + " share=" + share + " mem=" + memMiB;
    }
}
