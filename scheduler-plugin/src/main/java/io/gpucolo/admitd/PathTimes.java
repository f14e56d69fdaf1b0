package io.gpucolo.admitd;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;
import org.HdrHistogram.Histogram;

/**
 * Where a hook request's time goes inside admitd, stage by stage (microsecond histograms), for {@code status} and
 * {@code gpucolo bench hook}; a request slower than {@link #SLOW_MICROS} (system property
 * {@code gpucolo.admitd.slow_micros}, default 5000; 0 logs every request) is logged with its stages.
 * <ul>
 *   <li>{@code connect}: from the hook's clock reading just before it connects ({@code t=} in the request) to the
 *   accept returning here: the hook's connect plus admitd's wake-up (both clocks are this machine's wall clock);</li>
 *   <li>{@code read}: accept to the request line read; {@code lock}: waiting for the decision lock (another thread
 *   journaling); {@code decide}: the decision with its journal append; {@code journal}: the append (write and
 *   fsync), part of {@code decide}; {@code reply}: writing the reply; {@code service}: accept to reply written.</li>
 * </ul>
 */
final class PathTimes {
    private static final Logger LOG = Logger.getLogger(PathTimes.class.getName());
    /** A request slower than this (accept to reply written) is logged with its stages: the hook's p99 target. */
    static final long SLOW_MICROS = Long.getLong("gpucolo.admitd.slow_micros", 5_000);

    enum Stage { CONNECT, READ, LOCK, DECIDE, JOURNAL, REPLY, SERVICE }

    private final Map<Stage, Histogram> hist = new EnumMap<>(Stage.class);
    /** Journal time of the request this thread is serving (nanoseconds), for the slow-request line. */
    private final ThreadLocal<long[]> journalOfRequest = ThreadLocal.withInitial(() -> new long[1]);

    private final boolean logSlow;

    PathTimes() {
        this(true);
    }

    /** @param logSlow whether a slow request is logged ({@link WarmUp}'s scratch requests are not) */
    PathTimes(boolean logSlow) {
        this.logSlow = logSlow;
        for (Stage s : Stage.values()) {
            hist.put(s, new Histogram(3));
        }
    }

    synchronized void record(Stage s, long micros) {
        hist.get(s).recordValue(Math.max(1, Math.min(micros, 3_600_000_000L)));
    }

    /** Records a journal append made while deciding a request (on the thread serving it). */
    void journal(long nanos) {
        record(Stage.JOURNAL, nanos / 1000);
        journalOfRequest.get()[0] += nanos;
    }

    /** Records one exchange; logs it when slow. {@code connectMicros} is negative when the hook sent no clock. */
    void exchange(long connectMicros, long readNanos, long decideNanos, long replyNanos, String op) {
        long service = (readNanos + decideNanos + replyNanos) / 1000;
        long[] j = journalOfRequest.get();
        long journalNanos = j[0];
        j[0] = 0;
        if (connectMicros >= 0) {
            record(Stage.CONNECT, connectMicros);
        }
        record(Stage.READ, readNanos / 1000);
        record(Stage.DECIDE, decideNanos / 1000);
        record(Stage.REPLY, replyNanos / 1000);
        record(Stage.SERVICE, service);
        if (logSlow && service > SLOW_MICROS) {
            LOG.info(() -> String.format(Locale.ROOT, "slow %s request at %d: %.2f ms (read %.2f, decide %.2f of which journal %.2f, reply %.2f; "
                    + "connect before accept %s)", op, System.currentTimeMillis(), service / 1000.0, readNanos / 1e6, decideNanos / 1e6, journalNanos / 1e6,
                    replyNanos / 1e6, connectMicros < 0 ? "?" : String.format(Locale.ROOT, "%.2f ms", connectMicros / 1000.0)));
        }
    }

    /** A copy of one stage's histogram. */
    synchronized Histogram copy(Stage s) {
        return hist.get(s).copy();
    }

    /** {@code connect=0.123 read=...} at one percentile, milliseconds, every stage. */
    synchronized String at(double percentile) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Stage, Histogram> e : hist.entrySet()) {
            sb.append(sb.length() == 0 ? "" : ",").append(e.getKey().name().toLowerCase(Locale.ROOT)).append(':')
                    .append(String.format(Locale.ROOT, "%.3f", e.getValue().getValueAtPercentile(percentile) / 1000.0));
        }
        return sb.toString();
    }
}
