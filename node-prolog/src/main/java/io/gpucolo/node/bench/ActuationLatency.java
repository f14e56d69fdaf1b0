package io.gpucolo.node.bench;

import io.gpucolo.node.actuator.LeaseGuard;
import io.gpucolo.node.actuator.PauseTarget;
import io.gpucolo.node.actuator.Pauser;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Stop/resume actuation latency through the production path ({@link LeaseGuard}: lease state file, watchdog line,
 * signal coprocess, lease timer). Stop: from the call to its return (SIGSTOP delivered: the target runs no more user
 * code) and to /proc showing 'T' (the target's own wait for a CPU to enter the stopped state), under a 300 ms lease so
 * a stalled measuring thread cannot miss it. Resume: from a 100 ms lease's end to SIGCONT sent (the lease timer's own
 * clock, {@link LeaseGuard#lastLeaseResumeNanos()}: the process is runnable from then on), and to /proc showing it
 * running (which adds this measuring thread's own wake-up: it polls /proc every 20 µs, sleeping in between so it does
 * not take the CPU the target needs); a sample whose stop was not seen before the lease ended is counted as missed,
 * not guessed.
 */
final class ActuationLatency {
    private static final long LEASE_MS = 100;
    private static final long STOP_LEASE_MS = 300;
    private final Histogram signalled = new Histogram(10_000_000_000L, 3);
    private final Histogram stop = new Histogram(10_000_000_000L, 3);
    private final Histogram resume = new Histogram(10_000_000_000L, 3);
    private final Histogram resumeSignalled = new Histogram(10_000_000_000L, 3);
    private int missed;
    private int samples;

    /** Measures {@code n} stop/resume pairs of process {@code pid}, with the lease state file at {@code leases}. */
    static ActuationLatency measure(long pid, int n, Path leases) throws IOException, InterruptedException {
        ActuationLatency m = new ActuationLatency();
        PauseTarget t = new PauseTarget.Pids(List.of(pid));
        try (LeaseGuard guard = new LeaseGuard(leases, Duration.ofSeconds(2), true)) {
            for (int i = 0; i < n; i++) {
                m.pair(guard, t, pid, i + 1);
            }
        }
        m.samples = n;
        return m;
    }

    private void pair(LeaseGuard guard, PauseTarget t, long pid, int i) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        guard.stop(t, Duration.ofMillis(STOP_LEASE_MS));
        signalled.recordValue(System.nanoTime() - t0);
        long stopped = awaitState(pid, true, t0 + TimeUnit.SECONDS.toNanos(5));
        if (stopped < 0) {
            throw new IOException("actuation " + i + ": process " + pid + " did not stop within 5 s");
        }
        stop.recordValue(stopped - t0);
        awaitState(pid, false, t0 + TimeUnit.SECONDS.toNanos(5));
        Thread.sleep(5);
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LEASE_MS);
        guard.stop(t, Duration.ofMillis(LEASE_MS));
        if (awaitState(pid, true, end) < 0) {
            missed++;
        } else {
            long running = awaitState(pid, false, end + TimeUnit.SECONDS.toNanos(5));
            if (running < 0) {
                throw new IOException("actuation " + i + ": process " + pid + " still stopped 5 s after its lease");
            }
            resume.recordValue(Math.max(0, running - end));
            long sent = guard.lastLeaseResumeNanos();
            if (sent > end - TimeUnit.MILLISECONDS.toNanos(LEASE_MS)) {
                resumeSignalled.recordValue(Math.max(0, sent - end));
            }
        }
        awaitState(pid, false, end + TimeUnit.SECONDS.toNanos(5));
        Thread.sleep(5);
    }

    /** p99 in ms: the stop delivered, the resume signalled, the stop seen in /proc, the resume seen in /proc. */
    double[] p99() {
        return new double[] {signalled.getValueAtPercentile(99) / 1e6, resumeSignalled.getValueAtPercentile(99) / 1e6,
                stop.getValueAtPercentile(99) / 1e6, resume.getValueAtPercentile(99) / 1e6};
    }

    /**
     * The report lines; the last one is {@code actuation p99 ms: STOP_SIGNALLED RESUME_SIGNALLED STOP_SEEN RESUME_SEEN}
     * for the parent to read.
     */
    List<String> lines() {
        double[] p = p99();
        return List.of(
                String.format(Locale.ROOT, "stop, call to SIGSTOP delivered (the call returned): p50 %.2f ms, p99 %.2f ms",
                        signalled.getValueAtPercentile(50) / 1e6, p[0]),
                String.format(Locale.ROOT, "stop, call to state T in /proc (includes the target's own wait for a CPU): "
                        + "p50 %.2f ms, p99 %.2f ms", stop.getValueAtPercentile(50) / 1e6, p[2]),
                String.format(Locale.ROOT, "resume, lease end to SIGCONT sent (the lease timer's clock): p50 %.2f ms, p99 %.2f ms",
                        resumeSignalled.getValueAtPercentile(50) / 1e6, p[1]),
                String.format(Locale.ROOT, "resume, lease end to running in /proc (includes this thread's own wake-up): p50 %.2f "
                        + "ms, p99 %.2f ms (%d of %d samples; missed: stop not seen before the lease ended)",
                        resume.getValueAtPercentile(50) / 1e6, p[3], samples - missed, samples),
                String.format(Locale.ROOT, "actuation p99 ms: %.3f %.3f %.3f %.3f", p[0], p[1], p[2], p[3]));
    }

    /** Polls /proc until the process is stopped or running; returns System.nanoTime() then, or -1 at the deadline. */
    static long awaitState(long pid, boolean stopped, long deadline) throws IOException {
        while (true) {
            char s = Pauser.procState(pid);
            long now = System.nanoTime();
            if ((s == 'T') == stopped) {
                return now;
            }
            if (s == '?') {
                throw new IOException("process " + pid + " is gone");
            }
            if (now > deadline) {
                return -1;
            }
            LockSupport.parkNanos(20_000);
        }
    }
}
