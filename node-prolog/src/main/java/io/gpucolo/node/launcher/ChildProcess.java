package io.gpucolo.node.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The launcher's child: starting it with its share, signalling it (and its descendants) through {@code kill} at an
 * absolute path, and stopping it without ever leaving it stopped: every signal is preceded by SIGCONT, since a
 * stopped process cannot act on one.
 */
final class ChildProcess {
    private final Process process;
    private final Path kill;

    private ChildProcess(Process process, Path kill) {
        this.process = process;
        this.kill = kill;
    }

    static ChildProcess start(List<String> command, Map<String, String> extraEnv, Path kill) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        pb.environment().putAll(extraEnv);
        return new ChildProcess(pb.start(), kill);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The child and its live descendants. */
    List<Long> pids() {
        List<Long> out = new ArrayList<>();
        if (process.isAlive()) {
            out.add(process.pid());
        }
        process.descendants().filter(ProcessHandle::isAlive).forEach(h -> out.add(h.pid()));
        return out;
    }

    /** SIGCONT to the whole tree, then {@code signal} (a name such as TERM or USR1) to the child. */
    void signal(String signal) {
        send("CONT", pids());
        if (!signal.equals("CONT")) {
            send(signal, List.of(process.pid()));
        }
    }

    private void send(String signal, List<Long> pids) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of(kill.toString(), "-" + signal));
        pids.forEach(p -> cmd.add(Long.toString(p)));
        try {
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            System.err.println("gpucolo run: cannot send SIG" + signal + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits up to {@code millis} for the child to exit; true when it has. */
    boolean awaitExit(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    int exitValue() {
        return process.exitValue();
    }

    /**
     * Ends the child: {@code first} (e.g. the checkpoint signal or TERM), up to {@code graceMs} to exit, then SIGTERM
     * and up to {@code killAfterMs}, then SIGKILL to it and its descendants. Returns its exit value.
     */
    int end(String first, long graceMs, long killAfterMs) throws InterruptedException {
        signal(first);
        if (awaitExit(graceMs)) {
            return exitValue();
        }
        if (!first.equals("TERM")) {
            System.err.println("gpucolo run: child " + pid() + " did not exit within " + graceMs + " ms of SIG" + first + "; sending SIGTERM");
            signal("TERM");
            if (awaitExit(killAfterMs)) {
                return exitValue();
            }
        }
        System.err.println("gpucolo run: child " + pid() + " ignores SIGTERM; sending SIGKILL");
        List<Long> tree = pids();
        send("KILL", tree);
        process.waitFor();
        return exitValue();
    }
}
