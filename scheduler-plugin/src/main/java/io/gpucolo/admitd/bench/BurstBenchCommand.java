package io.gpucolo.admitd.bench;

import io.gpucolo.admitd.slurm.SlurmJob;
import io.gpucolo.admitd.slurm.SlurmJson;
import io.gpucolo.store.AuditEntry;
import io.gpucolo.store.Store;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gpucolo bench submit-burst [--kill]}: 4 users submit co-location jobs concurrently with {@code sbatch} while
 * {@code squeue} is polled; with {@code --kill}, admitd is killed with SIGKILL half-way and restarted. Then
 * every accepted job must be in Slurm (none lost), carry one decision id (no duplicate) or the fail-open mark,
 * and every acknowledged decision must be in the store's audit log.
 */
@Command(name = "submit-burst", mixinStandardHelpOptions = true,
        description = "4 concurrent users submit a burst through the hook (optionally kill -9 admitd mid-burst).")
public final class BurstBenchCommand implements Callable<Integer> {
    private static final Pattern ID = Pattern.compile(" id=(d[0-9]+)");
    private static final List<String> USERS = List.of("alice", "bob", "carol", "dave");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--jobs", defaultValue = "1000", description = "submissions in all (default: ${DEFAULT-VALUE})")
    int jobs;

    @Option(names = "--kill", description = "kill -9 admitd after half the submissions, then restart it")
    boolean kill;

    @CommandLine.Mixin
    LabOptions labOptions;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!LabCluster.isRoot(spec.commandLine().getErr(), "submit-burst")) {
            return 2;
        }
        try (LabCluster lab = labOptions.cluster()) {
            lab.up();
            lab.startAdmitd();
            AtomicInteger done = new AtomicInteger();
            ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
            AtomicInteger refused = new AtomicInteger();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicBoolean running = new AtomicBoolean(true);
            Histogram squeue = new Histogram(3);
            AtomicInteger squeueFailures = new AtomicInteger();
            Thread poller = new Thread(() -> {
                while (running.get()) {
                    try {
                        LabCluster.Run r = lab.run(List.of("squeue", "-h", "-o", "%i"));
                        squeue.recordValue(Math.max(1, r.nanos() / 1000));
                        if (r.exit() != 0) {
                            squeueFailures.incrementAndGet();
                        }
                        Thread.sleep(250);
                    } catch (Exception e) {
                        squeueFailures.incrementAndGet();
                    }
                }
            });
            poller.start();
            List<Thread> users = new ArrayList<>();
            long t0 = System.nanoTime();
            for (String u : USERS) {
                Thread t = new Thread(() -> {
                    for (int i = 0; i < jobs / USERS.size(); i++) {
                        try {
                            LabCluster.Run r = lab.as(u, List.of("sbatch", "--parsable", "-o", "/dev/null",
                                    "--begin=now+1hour", "--comment=gpucolo:colocate share=10 mem=1G", "--wrap", "true"));
                            if (r.exit() == 0) {
                                accepted.add(r.out().strip());
                            } else if (r.err().contains("gpucolo:")) {
                                refused.incrementAndGet();
                            } else {
                                failures.add(u + ": " + r.err().strip());
                            }
                        } catch (Exception e) {
                            failures.add(u + ": " + e.getMessage());
                        }
                        done.incrementAndGet();
                    }
                });
                users.add(t);
                t.start();
            }
            if (kill) {
                while (done.get() < jobs / 2) {
                    Thread.sleep(20);
                }
                lab.kill9Admitd();
                out.printf("admitd killed with SIGKILL after %d submissions; restarting%n", done.get());
                lab.startAdmitd(false);
                out.printf("admitd back after %d submissions%n", done.get());
            }
            for (Thread t : users) {
                t.join();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            running.set(false);
            poller.join();
            return verify(lab, out, List.copyOf(accepted), refused.get(), List.copyOf(failures), seconds, squeue,
                    squeueFailures.get());
        }
    }

    private int verify(LabCluster lab, PrintWriter out, List<String> accepted, int refused, List<String> failures,
                       double seconds, Histogram squeue, int squeueFailures) throws Exception {
        Map<String, SlurmJob> inSlurm = new HashMap<>();
        for (SlurmJob j : SlurmJson.jobs(lab.run(List.of("squeue", "--json")).out())) {
            inSlurm.put(j.jobId(), j);
        }
        int lost = 0;
        int failOpen = 0;
        int undecided = 0;
        Map<String, String> decisionOf = new HashMap<>();
        Set<String> ids = new HashSet<>();
        int duplicates = 0;
        for (String job : accepted) {
            SlurmJob j = inSlurm.get(job);
            if (j == null) {
                lost++;
                continue;
            }
            Matcher m = ID.matcher(j.adminComment());
            if (m.find()) {
                decisionOf.put(job, m.group(1));
                duplicates += ids.add(m.group(1)) ? 0 : 1;
            } else if (j.adminComment().startsWith("gpucolo:fail-open")) {
                failOpen++;
            } else {
                undecided++;
            }
        }
        int missing = decisionOf.size();
        try (Store store = Store.open(lab.storeUrl(), "", "")) {
            for (int attempt = 0; attempt < 60 && missing > 0; attempt++) {
                Thread.sleep(attempt == 0 ? 0 : 500);
                missing = 0;
                for (Map.Entry<String, String> e : decisionOf.entrySet()) {
                    List<AuditEntry> rows = store.decisions(e.getKey());
                    if (rows.stream().noneMatch(r -> r.decisionId().equals(e.getValue())
                            && (r.kind().equals("admit") || r.kind().equals("defer")))) {
                        missing++;
                    }
                }
            }
        }
        out.printf("machine: %d cores; %d users, %d submissions in %.1f s (%.1f/s)%n", Runtime.getRuntime().availableProcessors(),
                USERS.size(), accepted.size() + refused + failures.size(), seconds, (accepted.size() + refused + failures.size()) / seconds);
        out.printf("accepted %d (decided %d, fail-open %d, neither %d), refused by gpucolo %d, other sbatch failures %d%n",
                accepted.size(), decisionOf.size(), failOpen, undecided, refused, failures.size());
        failures.stream().limit(5).forEach(f -> out.println("  sbatch failure: " + f));
        out.printf("squeue during the burst: %d calls, %d failed, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                squeue.getTotalCount(), squeueFailures, squeue.getValueAtPercentile(50) / 1000.0,
                squeue.getValueAtPercentile(99) / 1000.0, squeue.getMaxValue() / 1000.0);
        out.printf("lost jobs %d, duplicate decisions %d, acknowledged decisions missing from the audit log %d%n",
                lost, duplicates, missing);
        boolean ok = lost == 0 && duplicates == 0 && missing == 0 && undecided == 0 && squeueFailures == 0;
        out.printf("%s: %d lost, %d duplicate, %d missing from store, squeue p99 %.1f ms%n", kill ? "submit-burst kill -9" : "submit-burst",
                lost, duplicates, missing, squeue.getValueAtPercentile(99) / 1000.0);
        out.flush();
        return ok ? 0 : 1;
    }
}
