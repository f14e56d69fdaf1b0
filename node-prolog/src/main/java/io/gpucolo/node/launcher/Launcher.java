package io.gpucolo.node.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The state of {@code gpucolo run}: the command, its current child and MPS share, the cooperative-sleep file, and
 * the restart rule. A share change sends the checkpoint signal, waits the grace period (then TERM, then KILL), and
 * starts the command again with {@code CUDA_MPS_ACTIVE_THREAD_PERCENTAGE} set to the new share. Methods are
 * synchronized: the socket server, the signal handlers and the main thread share one launcher.
 */
final class Launcher {
    /** Settings: signals by name (USR1, TERM...), times in milliseconds. */
    record Settings(String checkpointSignal, long graceMs, long killAfterMs, Path kill) {
        Settings {
            Objects.requireNonNull(checkpointSignal, "checkpointSignal");
            if (!checkpointSignal.matches("[A-Z0-9]{2,8}") || graceMs < 0 || killAfterMs < 0) {
                throw new IllegalArgumentException("checkpoint signal must be a name like USR1; times must be >= 0");
            }
        }
    }

    private final List<String> command;
    private final Settings settings;
    private final Path sleepFile;
    private ChildProcess child;
    private int share;
    private int restarts;
    private boolean restarting;
    private boolean stopping;

    Launcher(List<String> command, Settings settings, Path sleepFile, int share) {
        this.command = List.copyOf(command);
        this.settings = settings;
        this.sleepFile = sleepFile;
        this.share = share;
    }

    synchronized void start() throws IOException {
        child = ChildProcess.start(command, Map.of("CUDA_MPS_ACTIVE_THREAD_PERCENTAGE", Integer.toString(share),
                "GPUCOLO_SLEEP_FILE", sleepFile.toString()), settings.kill());
    }

    /** Restarts the child with a new share; returns the new child's pid. */
    long changeShare(int newShare) throws IOException, InterruptedException {
        if (newShare < 1 || newShare > 100) {
            throw new IllegalArgumentException("share must be 1..100, got " + newShare);
        }
        ChildProcess old;
        synchronized (this) {
            if (stopping) {
                throw new IllegalStateException("the launcher is stopping");
            }
            if (restarting) {
                throw new IllegalStateException("a restart is already in progress");
            }
            restarting = true;
            old = child;
        }
        try {
            int rc = old.end(settings.checkpointSignal(), settings.graceMs(), settings.killAfterMs());
            System.err.printf(Locale.ROOT, "gpucolo run: child %d checkpointed (exit %d); restarting with share %d%%%n",
                    old.pid(), rc, newShare);
            synchronized (this) {
                if (stopping) {
                    throw new IllegalStateException("the launcher is stopping");
                }
                share = newShare;
                restarts++;
                start();
                notifyAll();
                return child.pid();
            }
        } finally {
            synchronized (this) {
                restarting = false;
                notifyAll();
            }
        }
    }

    /** Sets the cooperative sleep after each training iteration, ms (0 = none). */
    synchronized void sleep(long ms) throws IOException {
        if (ms < 0 || ms > 10_000) {
            throw new IllegalArgumentException("sleep must be 0..10000 ms, got " + ms);
        }
        Path tmp = sleepFile.resolveSibling(sleepFile.getFileName() + ".tmp");
        Files.writeString(tmp, ms + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, sleepFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    synchronized List<Long> pids() {
        return child == null ? List.of() : child.pids();
    }

    synchronized String status() {
        return String.format(Locale.ROOT, "share=%d pid=%d restarts=%d restarting=%b", share,
                child == null ? -1 : child.pid(), restarts, restarting);
    }

    /** Forwards a signal the launcher received; TERM, INT and HUP also end the launcher (escalating after a timeout). */
    void forward(String signal) {
        ChildProcess c;
        synchronized (this) {
            c = child;
            if (signal.equals("TERM") || signal.equals("INT") || signal.equals("HUP")) {
                stopping = true;
            }
        }
        if (c == null) {
            return;
        }
        if (stopping) {
            Thread t = new Thread(() -> {
                try {
                    c.end(signal, settings.killAfterMs(), settings.killAfterMs());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "gpucolo-run-stop");
            t.setDaemon(true);
            t.start();
        } else {
            c.signal(signal);
        }
    }

    /** Waits for the child to exit on its own (not for a restart) and returns its exit code. */
    int awaitExit() throws InterruptedException {
        while (true) {
            ChildProcess c;
            synchronized (this) {
                while (restarting) {
                    wait();
                }
                c = child;
            }
            int rc = c.waitFor();
            synchronized (this) {
                while (restarting) {
                    wait();
                }
                if (child == c) {
                    c.signal("CONT"); // never leave descendants stopped
                    return rc;
                }
            }
        }
    }
}
