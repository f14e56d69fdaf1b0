package io.gpucolo.node.actuator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The out-of-process backstop for leases: a tiny process noded starts at boot with a pipe on its stdin. noded writes
 * {@code stop LEASE_MS KEY} before each stop and {@code resume KEY} after each resume. The watchdog resumes a target
 * itself when its lease runs out (noded alive but hung), and resumes everything it holds as soon as its stdin closes
 * (noded died, even by SIGKILL) or it is terminated (SIGTERM), then exits. So a stop never outlives its lease by more
 * than the watchdog's reaction time, whatever happens to noded.
 */
public final class LeaseWatchdog {
    private final Map<String, ScheduledFuture<?>> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    public static void main(String[] args) throws IOException {
        LeaseWatchdog w = new LeaseWatchdog();
        Runtime.getRuntime().addShutdownHook(new Thread(w::resumeAll, "gpucolo-watchdog-exit"));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                w.handle(line);
            }
        }
        w.resumeAll();
        System.exit(0);
    }

    void handle(String line) {
        String[] f = line.split(" ", 3);
        try {
            if (f.length == 3 && f[0].equals("stop")) {
                long leaseMs = Long.parseLong(f[1]);
                PauseTarget t = PauseTarget.parse(f[2]);
                ScheduledFuture<?> old = held.put(t.key(), timer.schedule(() -> expire(t), leaseMs, TimeUnit.MILLISECONDS));
                if (old != null) {
                    old.cancel(false);
                }
            } else if (f.length == 2 && f[0].equals("resume")) {
                ScheduledFuture<?> old = held.remove(f[1]);
                if (old != null) {
                    old.cancel(false);
                }
            } else {
                System.err.println("gpucolo lease watchdog: ignoring bad line '" + line + "'");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("gpucolo lease watchdog: ignoring bad line '" + line + "': " + e.getMessage());
        }
    }

    private void expire(PauseTarget t) {
        held.remove(t.key());
        resume(t);
        System.err.println("gpucolo lease watchdog: lease expired, resumed " + t.key());
    }

    private synchronized void resumeAll() {
        for (String key : held.keySet()) {
            ScheduledFuture<?> f = held.remove(key);
            if (f != null) {
                f.cancel(false);
            }
            resume(PauseTarget.parse(key));
        }
    }

    private static void resume(PauseTarget t) {
        try {
            Pauser.resume(t);
        } catch (IOException e) {
            System.err.println("gpucolo lease watchdog: could not resume " + t.key() + ": " + e.getMessage());
        }
    }
}
