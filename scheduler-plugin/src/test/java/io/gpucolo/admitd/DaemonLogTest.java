package io.gpucolo.admitd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** admitd's log handler: records written off the caller's thread, one line each, in order, all of them on close. */
class DaemonLogTest {
    @Test
    void writesEveryRecordAsOneLineInOrderAndFlushesOnClose() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DaemonLog h = new DaemonLog(out);
        Logger log = Logger.getLogger("io.gpucolo.test.DaemonLogTest.order");
        log.setUseParentHandlers(false);
        log.addHandler(h);
        try {
            for (int i = 0; i < 500; i++) {
                int n = i;
                log.info(() -> "decision d" + n + ": admit");
            }
            log.log(Level.WARNING, "bad request", new IllegalStateException("boom"));
        } finally {
            log.removeHandler(h);
            h.close();
        }
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.get(0).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO    order: decision d0: admit"),
                lines.get(0));
        for (int i = 0; i < 500; i++) {
            assertTrue(lines.get(i).endsWith(": decision d" + i + ": admit"), "line " + i + ": " + lines.get(i));
        }
        assertTrue(lines.get(500).contains("WARNING order: bad request"), lines.get(500));
        assertTrue(lines.get(501).contains("IllegalStateException: boom"), "the stack trace follows: " + lines.get(501));
        assertEquals(0, h.queued());
    }

    @Test
    void aFullQueueDropsRecordsAndSaysHowMany() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        java.io.OutputStream slow = new java.io.OutputStream() {     // a log file that blocks until released
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                out.write(b, off, len);
            }
        };
        DaemonLog h = new DaemonLog(slow);
        Logger log = Logger.getLogger("io.gpucolo.test.DaemonLogTest.full");
        log.setUseParentHandlers(false);
        log.addHandler(h);
        int sent = DaemonLog.CAPACITY + 500;
        long t0 = System.nanoTime();
        for (int i = 0; i < sent; i++) {
            log.info("r" + i);
        }
        long callerMs = (System.nanoTime() - t0) / 1_000_000;
        release.countDown();
        log.removeHandler(h);
        h.close();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        String note = lines.stream().filter(l -> l.contains("log records dropped")).findFirst().orElse("");
        long written = lines.stream().filter(l -> l.matches(".*: r\\d+$")).count();
        long dropped = Long.parseLong(note.replaceAll(".*: (\\d+) log records dropped.*", "$1"));
        assertEquals(sent, written + dropped, "every record is written or counted as dropped: " + note);
        assertTrue(dropped > 0 && dropped <= 500, "the writer was blocked (after filling its 8 KiB buffer), so some of "
                + "the 500 records beyond the queue were dropped: " + dropped);
        assertTrue(callerMs < 5_000, "the callers never waited for the blocked log file: " + callerMs + " ms");
    }
}
