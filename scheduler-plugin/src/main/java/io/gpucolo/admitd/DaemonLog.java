package io.gpucolo.admitd;

import io.gpucolo.admission.platform.Background;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * admitd's log handler: one line per record ({@code 2026-11-26 03:45:11.123 INFO    Desk: decision d42: ...}),
 * written by a background thread. A decision is logged while slurmctld waits for its answer; JDK logging's default
 * console handler would, on that thread, walk the stack to find the caller, format a date and write and flush the log
 * file: about 0.2 ms of every submission (docs/BENCHMARKS.md, "Where a submission's time goes"). Here the caller only
 * queues the record; the writer (nice 10) wakes every {@link #WRITE_EVERY_MS} ms and writes what is queued, so a
 * request wakes no other thread. The queue is bounded ({@link #CAPACITY}): when it is full a record is dropped,
 * never waited for, and the writer logs how many were dropped. The log is for people: decisions are in the journal and the audit log.
 * On a normal exit (JDK logging's shutdown reset closes the handler) the queue is written out; a {@code kill -9}
 * loses at most the records still queued, none of them a decision.
 *
 * <p>Not installed when the operator configures JDK logging ({@code java.util.logging.config.file} or
 * {@code .config.class}): their handlers are used as they are.
 */
public final class DaemonLog extends Handler {
    /** Records that may wait to be written. */
    static final int CAPACITY = 8192;

    /** How often the writer wakes to write what was queued. */
    static final long WRITE_EVERY_MS = 100;

    private final Queue<LogRecord> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final StreamHandler out;
    private final Thread writer;
    private volatile boolean closed;

    DaemonLog(java.io.OutputStream stream) {
        this.out = new StreamHandler(stream, new Line());
        out.setLevel(Level.ALL);
        this.writer = new Thread(this::writeLoop, "admitd-log");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Makes this handler (writing to standard error) the root logger's only one, unless the operator configured JDK
     * logging. Returns whether it was installed.
     */
    public static boolean install() {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return false;
        }
        Logger root = LogManager.getLogManager().getLogger("");
        DaemonLog log = new DaemonLog(System.err);
        for (Handler h : root.getHandlers()) {
            log.setLevel(h.getLevel());
            root.removeHandler(h);
        }
        root.addHandler(log);
        return true;
    }

    @Override
    public void publish(LogRecord r) {
        if (closed || !isLoggable(r)) {
            return;
        }
        if (queued.incrementAndGet() > CAPACITY) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        queue.add(r);
    }

    private void writeLoop() {
        Background.lowerCurrentThread();
        while (!closed) {
            try {
                Thread.sleep(WRITE_EVERY_MS);
                drain();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                reportError("admitd log writer: " + e, e, ErrorManager.WRITE_FAILURE);
            }
        }
    }

    /** Writes what is queued, then the count of dropped records, then flushes (nothing when nothing came). */
    private synchronized void drain() {
        boolean wrote = false;
        LogRecord r;
        while ((r = queue.poll()) != null) {
            queued.decrementAndGet();
            out.publish(r);
            wrote = true;
        }
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            LogRecord note = new LogRecord(Level.WARNING, lost + " log records dropped: the log could not keep up ("
                    + CAPACITY + " queued)");
            note.setLoggerName(DaemonLog.class.getName());
            out.publish(note);
            wrote = true;
        }
        if (wrote) {
            out.flush();
        }
    }

    /** Writes out what is queued now (on the calling thread). */
    @Override
    public void flush() {
        drain();
    }

    /** Stops the writer and writes out what is still queued. */
    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        try {
            writer.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drain();
    }

    /** Records still queued (for tests). */
    int queued() {
        return queued.get();
    }

    /** One line per record: local time to the millisecond, level, logger's simple name, message, stack trace. */
    static final class Line extends Formatter {
        @Override
        public String format(LogRecord r) {
            String name = r.getLoggerName() == null ? "" : r.getLoggerName();
            String thrown = "";
            if (r.getThrown() != null) {
                StringWriter sw = new StringWriter();
                try (PrintWriter pw = new PrintWriter(sw)) {
                    pw.println();
                    r.getThrown().printStackTrace(pw);
                }
                thrown = sw.toString().stripTrailing();
            }
            return String.format(Locale.ROOT, "%1$tF %1$tT.%1$tL %2$-7s %3$s: %4$s%5$s%n",
                    ZonedDateTime.ofInstant(r.getInstant(), ZoneId.systemDefault()), r.getLevel().getName(),
                    name.substring(name.lastIndexOf('.') + 1), formatMessage(r), thrown);
        }
    }
}
