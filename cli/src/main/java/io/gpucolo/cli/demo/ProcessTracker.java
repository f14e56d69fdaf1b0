package io.gpucolo.cli.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Every process the demo starts, by pid, so that teardown (normal end, error or Ctrl-C) stops exactly
 * those and their descendants and nothing else. Processes are started from argument lists, never from a
 * shell string. Each start is also appended to a pid file, so that a later run can find what a killed run
 * left behind.
 */
final class ProcessTracker {
    /** A finished short command: its exit code and its merged output. */
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private final Path pidFile;
    private final List<Tracked> started = new ArrayList<>();
    private boolean closed;

    private record Tracked(String name, Process process) {
    }

    ProcessTracker(Path pidFile) {
        this.pidFile = pidFile;
    }

    /** Starts a long-running process with output to {@code log}; it stays tracked until {@link #stopAll}. */
    synchronized Process start(String name, List<String> command, Map<String, String> env, Path log) {
        if (closed) {
            throw new IllegalStateException("stopping: not starting " + name);
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            started.add(new Tracked(name, p));
            Files.writeString(pidFile, p.pid() + " " + name + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
        }
    }

    /**
     * Runs a short command to completion (tracked while it runs) and returns its exit code and output; a
     * command still running after {@code timeout} is stopped and reported with exit code 124.
     */
    Result run(String name, List<String> command, Map<String, String> env, Duration timeout) {
        Path out;
        try {
            out = Files.createTempFile("gpucolo-demo-", ".out");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Process p = start(name, command, env, out);
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                stop(new Tracked(name, p), Duration.ofSeconds(3));
            }
            forget(p);
            String text = Files.readString(out, StandardCharsets.UTF_8);
            return new Result(done ? p.exitValue() : 124, text);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(130, "interrupted");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(out);
            } catch (IOException ignored) {
                // a temp file left in /tmp is harmless
            }
        }
    }

    private synchronized void forget(Process p) {
        started.removeIf(t -> t.process() == p);
    }

    /** From now on {@link #start} refuses: used when teardown begins, so nothing starts behind its back. */
    synchronized void close() {
        closed = true;
    }

    /** Names of the tracked processes still alive, in start order. */
    synchronized List<String> alive() {
        return started.stream().filter(t -> t.process().isAlive()).map(t -> t.name() + " (pid " + t.process().pid() + ")").toList();
    }

    /**
     * Stops every tracked process, newest first: SIGTERM, up to {@code grace} to exit, then SIGKILL to it and
     * to every descendant it had (descendants are listed before the parent is signalled, since they are
     * re-parented once it dies). Returns how many were still alive and had to be stopped.
     */
    int stopAll(Duration grace) {
        List<Tracked> todo;
        synchronized (this) {
            todo = new ArrayList<>(started);
            started.clear();
        }
        int stopped = 0;
        for (int i = todo.size() - 1; i >= 0; i--) {
            if (todo.get(i).process().isAlive()) {
                stopped++;
            }
            stop(todo.get(i), grace);
        }
        return stopped;
    }

    private static void stop(Tracked t, Duration grace) {
        List<ProcessHandle> family = new ArrayList<>(t.process().descendants().toList());
        family.add(t.process().toHandle());
        t.process().destroy();
        family.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle h : family) {
            while (LabProcesses.running(h.pid()) && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
            }
            if (LabProcesses.running(h.pid())) {
                h.destroyForcibly();
            }
        }
        try {
            t.process().waitFor(1, TimeUnit.SECONDS);   // reap our own child
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
