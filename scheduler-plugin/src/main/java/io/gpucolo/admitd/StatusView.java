package io.gpucolo.admitd;

import io.gpucolo.admission.state.ClusterState;
import io.gpucolo.admission.state.GpuState;
import io.gpucolo.admission.state.Guest;
import io.gpucolo.admission.state.ResidentService;
import io.gpucolo.admitd.protocol.Reply;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code status} answer: per GPU its services (with their SLO), guests (share, memory), the training share
 * the policy still allows there (headroom) and whether it is held by a whole-GPU job; plus how many decisions
 * admitd follows and how many jobs are held waiting for room.
 */
final class StatusView {
    private final ClusterState state;
    private final Book book;
    private final Supplier<Setup> setup;
    private volatile PathTimes times = new PathTimes();
    private volatile Supplier<org.HdrHistogram.Histogram> fsyncTimes = () -> new org.HdrHistogram.Histogram(3);

    private volatile Supplier<String> hookThread = () -> "?";

    /**
     * Where the request stage times and the journal's force times come from, and how the hook's serving thread is
     * scheduled ({@link HookServer#hookThread()}).
     */
    void serving(PathTimes requests, Supplier<org.HdrHistogram.Histogram> fsync, Supplier<String> scheduling) {
        times = requests;
        fsyncTimes = fsync;
        hookThread = scheduling;
    }

    StatusView(ClusterState state, Book book, Supplier<Setup> setup) {
        this.state = state;
        this.book = book;
        this.setup = setup;
    }

    Reply reply() {
        Setup s = setup.get();
        Map<String, String> f = new LinkedHashMap<>();
        f.put("policy", s.source() + " (" + s.admission().policy().name() + ")");
        f.put("following", Integer.toString(book.size()));
        f.put("held", Long.toString(book.all().stream().filter(t -> t.kind().equals("defer")).count()));
        org.HdrHistogram.Histogram h = times.copy(PathTimes.Stage.SERVICE);
        f.put("requests", Long.toString(h.getTotalCount()));
        f.put("service_p50_ms", String.format(java.util.Locale.ROOT, "%.3f", h.getValueAtPercentile(50) / 1000.0));
        f.put("service_p99_ms", String.format(java.util.Locale.ROOT, "%.3f", h.getValueAtPercentile(99) / 1000.0));
        f.put("hook_thread", hookThread.get());
        f.put("stages_p50_ms", times.at(50));
        f.put("stages_p99_ms", times.at(99));
        org.HdrHistogram.Histogram fs = fsyncTimes.get();
        f.put("journal_fsyncs", Long.toString(fs.getTotalCount()));
        f.put("journal_fsync_p50_p99_max_ms", String.format(java.util.Locale.ROOT, "%.3f,%.3f,%.3f",
                fs.getValueAtPercentile(50) / 1000.0, fs.getValueAtPercentile(99) / 1000.0, fs.getMaxValue() / 1000.0));
        int i = 0;
        for (GpuState g : state.gpus()) {
            f.put("gpu" + i++, line(g, s));
        }
        return new Reply("ok", f);
    }

    static String line(GpuState g, Setup s) {
        StringBuilder sb = new StringBuilder(g.gpu().id().toString());
        StringBuilder svc = new StringBuilder();
        for (ResidentService r : g.services()) {
            svc.append(svc.length() == 0 ? "" : ",").append(r.service().name()).append('(').append(r.jobId())
                    .append(" slo_p99=").append(r.service().sloP99Ms()).append("ms rps=")
                    .append(r.load().requestsPerSecond()).append(')');
        }
        StringBuilder guests = new StringBuilder();
        boolean whole = false;
        for (Guest x : g.guests()) {
            if (x.jobId().startsWith("whole")) {
                whole = true;
                continue;
            }
            guests.append(guests.length() == 0 ? "" : ",").append(x.jobId()).append(':').append(x.mpsPercent())
                    .append("%:").append(x.memoryMiB()).append("MiB");
        }
        sb.append(" services=").append(svc.length() == 0 ? "-" : svc);
        sb.append(" guests=").append(guests.length() == 0 ? "-" : guests);
        sb.append(" training=").append(whole ? 0 : g.trainingPercent()).append('%');
        sb.append(" headroom=").append(whole ? 0 : s.admission().freePercent(g)).append('%');
        sb.append(" whole_gpu_job=").append(whole ? "yes" : "no");
        return sb.toString();
    }
}
