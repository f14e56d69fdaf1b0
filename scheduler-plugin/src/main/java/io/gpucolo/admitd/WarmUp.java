package io.gpucolo.admitd;

import io.gpucolo.admission.model.Cluster;
import io.gpucolo.admission.state.ClusterState;
import io.gpucolo.admitd.journal.DecisionJournal;
import io.gpucolo.admitd.protocol.Request;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;
import java.util.stream.Stream;

/**
 * Runs the whole request path a few thousand times on scratch state, so that the first real submissions after a
 * start do not run it interpreted while the compiler threads take the CPU (measured in {@code gpucolo bench hook}:
 * the first 200-400 requests of a fresh admitd had a service p50 of 2.8-3 ms against 1.2-1.5 ms later). The same
 * code as a real request: the exchange ({@link HookServer#exchange}: line read, parse, reply), a {@link Desk}
 * decision with its journal append and its log line, on a scratch cluster state, book and journal in a temporary
 * directory (no fsync: a flush is not compiled code) that is deleted afterwards. Nothing it does reaches the real
 * state, journal, log or audit store.
 */
final class WarmUp {
    private static final Logger LOG = Logger.getLogger(WarmUp.class.getName());
    private static final String SECRET = "warmup-secret-0000000000";

    private WarmUp() {
    }

    /** Runs {@code requests} exchanges; logs how long it took. Failures are logged, never thrown. */
    static void run(Supplier<Setup> setup, Cluster cluster, int requests) {
        long t0 = System.nanoTime();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("admitd-warmup");
            try (DecisionJournal journal = DecisionJournal.open(dir.resolve("journal"), DecisionJournal.Sync.BATCHED)) {
                Logger quiet = Logger.getAnonymousLogger();
                quiet.setUseParentHandlers(false);
                quiet.addHandler(new StreamHandler(OutputStream.nullOutputStream(), new SimpleFormatter()));
                PathTimes times = new PathTimes(false);
                String comment = setup.get().policy().slurm().trainingComment();
                for (int from = 0; from < requests; from += 200) {     // a fresh, empty cluster each time: admits, defers
                    Desk desk = new Desk(setup, new ClusterState(cluster), journal, new Book(), InstantSource.system(),
                            times, quiet);
                    exchanges(desk, times, comment, from, Math.min(200, requests - from));
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warning("warm-up stopped early (admitd works, its first requests are slower): " + e);
        } finally {
            delete(dir);
        }
        LOG.info("warm-up of the request path: " + requests + " requests in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    private static void exchanges(Desk desk, PathTimes times, String comment, int from, int n) {
        for (int i = from; i < from + n; i++) {
            String line = new Request("train", Map.of("uid", "1000", "user", "warmup", "comment",
                    comment + " share=" + (5 + i % 40) + " mem=" + (1 + i % 4) + "G", "name", "warmup" + i,
                    "partition", "train", "avoid", "", "t", String.format(java.util.Locale.ROOT, "%.6f",
                            System.currentTimeMillis() / 1000.0))).encode(SECRET) + "\n";
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            HookServer.exchange(new ByteArrayInputStream(line.getBytes(StandardCharsets.US_ASCII)), out, "warm-up",
                    Optional::empty, System.nanoTime(), SECRET, desk::decide, times);
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.fine(() -> "warm-up directory " + e.getMessage());
        }
    }
}
