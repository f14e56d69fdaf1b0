package io.gpucolo.node.actuator;

import io.gpucolo.admission.platform.Realtime;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every stop noded makes goes through here, and every stop has a bounded lease:
 * <ol>
 *   <li>the target is written to the lease state file ({@link LeaseBook}) before it is stopped;</li>
 *   <li>the out-of-process {@link LeaseWatchdog} is told the lease plus {@link #WATCHDOG_GRACE} (it resumes when
 *   that runs out, or at once when noded dies);</li>
 *   <li>the target is stopped, and a resume is scheduled on this guard's own timer thread at lease expiry, which also
 *   tells the watchdog the target is resumed.</li>
 * </ol>
 * The stop signals the target's registered pids from the caller's thread and returns; their descendants are found
 * and stopped right after on a walker thread (the /proc walk is most of a stop's cost). Signals are {@code kill(2)}
 * calls ({@link Signaller}), and the timer thread is real-time ({@link Realtime}), so neither a stop nor a lease-end
 * resume waits for another process, or for a CPU behind the jobs.
 * The grace keeps the watchdog a backstop: with a deadline equal to the lease, its resume (a {@code /bin/kill} process
 * start, milliseconds late on a busy node) raced this guard's and could land inside the next period's stop, cutting
 * it short, and it cost a process start per period.
 * Leases longer than {@code maxLease} are cut to it. {@link #resumeLeftovers} resumes what a previous noded left.
 * Thread-safe.
 */
public final class LeaseGuard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseGuard.class);

    private final LeaseBook book;
    /** How long the watchdog waits past a lease's end before resuming the target itself (noded hung). */
    public static final Duration WATCHDOG_GRACE = Duration.ofMillis(250);
    private final Duration maxLease;
    private final ScheduledExecutorService timer;
    /** Walks /proc for the descendants of a stopped target, off the stop's path. */
    private final ExecutorService walker;
    /** Numbers the stops: a descendant walk applies only to the stop it was started for. */
    private final java.util.concurrent.atomic.AtomicLong stopCount = new java.util.concurrent.atomic.AtomicLong();
    private final Map<String, ScheduledFuture<?>> expiries = new ConcurrentHashMap<>();
    /** Per signalled target, its last stop and the pids it stopped (descendants included): what its resume continues. */
    private final Map<String, Held> stoppedPids = new ConcurrentHashMap<>();
    private final Process watchdog;
    private final OutputStream toWatchdog;
    private final Signaller signaller = new Signaller();
    /** {@code System.nanoTime()} when the last lease-end resume had sent its signals (the actuation benchmark reads it). */
    private volatile long lastLeaseResume;

    /**
     * @param stateFile    the lease state file
     * @param maxLease     the longest any stop may last
     * @param withWatchdog start the out-of-process watchdog (noded: yes; tests of the in-process path: no)
     */
    public LeaseGuard(Path stateFile, Duration maxLease, boolean withWatchdog) throws IOException {
        this.book = new LeaseBook(stateFile);
        this.maxLease = maxLease;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(Realtime.raised(r), "gpucolo-lease-timer");   // a lease-end resume waits for no one
            t.setDaemon(true);
            return t;
        });
        this.walker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "gpucolo-lease-walk");
            t.setDaemon(true);
            return t;
        });
        if (withWatchdog) {
            String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            watchdog = new ProcessBuilder(java, "-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), LeaseWatchdog.class.getName())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            toWatchdog = watchdog.getOutputStream();
        } else {
            watchdog = null;
            toWatchdog = null;
        }
    }

    /** The watchdog process's id, or -1 without one. */
    public long watchdogPid() {
        return watchdog == null ? -1 : watchdog.pid();
    }

    /** Resumes every target listed in a previous incarnation's state file, then forgets them; returns how many. */
    public static int resumeLeftovers(Path stateFile) throws IOException {
        int n = 0;
        for (String key : LeaseBook.read(stateFile)) {
            try {
                Pauser.resume(PauseTarget.parse(key));
                n++;
                LOG.warn("resumed {} left stopped by a previous noded", key);
            } catch (IllegalArgumentException | IOException e) {
                LOG.error("could not resume leftover '{}' from {}: {}", key, stateFile, e.getMessage());
            }
        }
        java.nio.file.Files.deleteIfExists(stateFile);
        return n;
    }

    /** Stops {@code target} for at most {@code lease} (cut to the maximum lease); it is resumed when the lease ends. */
    public void stop(PauseTarget target, Duration lease) throws IOException {
        Duration l = lease.compareTo(maxLease) > 0 ? maxLease : lease;
        book.add(target);
        tellWatchdog("stop " + l.plus(WATCHDOG_GRACE).toMillis() + " " + target.key());
        ScheduledFuture<?> old = expiries.put(target.key(), timer.schedule(() -> expire(target), l.toNanos(), TimeUnit.NANOSECONDS));
        if (old != null) {
            old.cancel(false);
        }
        if (target instanceof PauseTarget.Pids p) {
            long stop = stopCount.incrementAndGet();
            synchronized (this) {
                signaller.signal(p.pids(), true);
                stoppedPids.put(target.key(), new Held(stop, p.pids()));
            }
            walker.execute(() -> stopDescendants(p, stop));
        } else {
            Pauser.apply(target, true, signaller);
        }
    }

    /**
     * The rest of a stop, on the walker thread: the target's live descendants (found in /proc, about 0.5 ms for a
     * JVM's threads) are stopped too, if this stop still holds (not resumed or renewed meanwhile), and recorded with
     * it, so the lease-end resume continues them.
     */
    private void stopDescendants(PauseTarget.Pids p, long stop) {
        List<Long> all = Pauser.withDescendants(p.pids());
        synchronized (this) {
            Held held = stoppedPids.get(p.key());
            if (held == null || held.stop() != stop) {
                return;
            }
            List<Long> more = all.stream().filter(pid -> !held.pids().contains(pid)).toList();
            if (more.isEmpty()) {
                return;
            }
            try {
                signaller.signal(more, true);
                List<Long> both = new ArrayList<>(held.pids());
                both.addAll(more);
                stoppedPids.put(p.key(), new Held(stop, List.copyOf(both)));
            } catch (IOException e) {
                LOG.error("stopping the descendants of {} failed: {}", p.key(), e.getMessage());
            }
        }
    }

    /** Continues what the target's last stop stopped (no /proc walk: the actuation fast path); true if there was any. */
    private synchronized boolean continueStopped(PauseTarget target) throws IOException {
        Held held = stoppedPids.remove(target.key());
        if (held == null || held.pids().isEmpty()) {
            return false;
        }
        signaller.signal(held.pids(), false);
        return true;
    }

    /** One stop of a signalled target: its number and the pids it stopped. */
    private record Held(long stop, List<Long> pids) {
    }

    /** Resumes {@code target} now (idempotent). */
    public void resume(PauseTarget target) throws IOException {
        ScheduledFuture<?> f = expiries.remove(target.key());
        if (f != null) {
            f.cancel(false);
        }
        continueStopped(target);
        Pauser.apply(target, false, signaller);   // and a full walk: an explicit resume leaves nothing of the job stopped
        book.remove(target);
        tellWatchdog("resume " + target.key());
    }

    /** Resumes everything this guard holds; returns how many targets. */
    public int resumeAll() {
        List<String> keys = new ArrayList<>(book.keys());
        int n = 0;
        for (String key : keys) {
            try {
                resume(PauseTarget.parse(key));
                n++;
            } catch (IOException e) {
                LOG.error("could not resume {}: {}", key, e.getMessage());
            }
        }
        return n;
    }

    /** {@code System.nanoTime()} at which the last lease-end resume had sent its signals; 0 before any. */
    public long lastLeaseResumeNanos() {
        return lastLeaseResume;
    }

    /** Targets stopped now. */
    public List<String> held() {
        return book.keys();
    }

    /**
     * Lease end: resume, but keep the target in the state file (the duty cycle stops it again next period; a running
     * process listed there is harmless, and not rewriting the file twice a period halves the loop's I/O). An explicit
     * {@link #resume} removes it.
     */
    private void expire(PauseTarget target) {
        try {
            expiries.remove(target.key());
            if (!continueStopped(target)) {
                Pauser.apply(target, false, signaller);
            }
            lastLeaseResume = System.nanoTime();
            tellWatchdog("resume " + target.key());
        } catch (IOException e) {
            LOG.error("lease expired but resuming {} failed: {}", target.key(), e.getMessage());
        }
    }

    private synchronized void tellWatchdog(String line) {
        if (toWatchdog == null) {
            return;
        }
        try {
            toWatchdog.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            toWatchdog.flush();
        } catch (IOException e) {
            LOG.error("lease watchdog gone ({}); in-process leases still apply", e.getMessage());
        }
    }

    /** Resumes everything, then ends the watchdog (closing its stdin makes it resume what it holds and exit). */
    @Override
    public void close() {
        walker.shutdownNow();
        resumeAll();
        timer.shutdownNow();
        signaller.close();
        if (watchdog != null) {
            try {
                toWatchdog.close();
                watchdog.waitFor(5, TimeUnit.SECONDS);
            } catch (IOException e) {
                LOG.debug("watchdog pipe already closed: {}", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
