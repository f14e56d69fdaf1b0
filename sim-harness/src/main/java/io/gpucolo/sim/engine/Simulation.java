package io.gpucolo.sim.engine;

import io.gpucolo.sim.metrics.Recorder;
import io.gpucolo.sim.metrics.RunResult;
import io.gpucolo.sim.policies.ControlLoops;
import io.gpucolo.sim.policies.Datacenter;
import io.gpucolo.sim.policies.PolicyKind;
import io.gpucolo.sim.traces.TaskTable;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * The discrete-event engine: a virtual clock advanced only by popping the next event (an arrival from the
 * sorted task table, or a task end, load window or control step from the {@link EventQueue}). At equal
 * times, queued events (ends first) run before arrivals. A run is a pure function of its inputs.
 */
public final class Simulation {
    private final TaskTable tasks;
    private final SimSetup setup;

    public Simulation(TaskTable tasks, SimSetup setup) {
        this.tasks = tasks;
        this.setup = setup;
    }

    /**
     * Runs one policy. {@code progress} receives the virtual time (ms) now and then (may be null).
     * {@code wallClock} measures the run's wall time for the result (reading it is the caller's business).
     */
    public Outcome run(PolicyKind policy, LongConsumer progress, java.util.function.LongSupplier wallClock) {
        long wall0 = wallClock.getAsLong();
        long origin = tasks.size() == 0 ? 0 : tasks.start(0) * 1000;
        EventQueue queue = new EventQueue();
        Recorder rec = new Recorder(origin, tasks.span()[1] * 1000);
        int[] provision = policy == PolicyKind.SEPARATE ? separatePools() : null;
        Datacenter dc = new Datacenter(tasks, policy, setup.plant(), setup.load(), rec, queue, setup.gpuMemMiB(),
                setup.capacity(), provision);
        ControlLoops loops = null;
        if (policy.controlled()) {
            loops = new ControlLoops(dc, policy == PolicyKind.PAPER);
            dc.control(loops);
        }
        if (policy == PolicyKind.HEADROOM) {
            if (setup.admission() == null) {
                throw new IllegalArgumentException("the headroom policy needs the admission pipeline");
            }
            dc.placer(setup.admission().create(dc, tasks, setup));
        }
        if (!setup.load().flat() && tasks.size() > 0) {
            long step = setup.load().stepSeconds() * 1000;
            queue.push((Math.floorDiv(origin, step) + 1) * step, EventQueue.Kind.LOAD, 0);
        }
        long[] finished = new long[tasks.size()];
        int[] ranOn = new int[tasks.size()];
        int n = tasks.size();
        int next = 0;
        long events = 0;
        long now = origin;
        long active = n;
        while (active > 0) {
            long arrival = next < n ? tasks.start(next) * 1000 : Long.MAX_VALUE;
            if (!queue.isEmpty() && queue.peekTime() <= arrival) {
                now = queue.peekTime();
                EventQueue.Kind kind = queue.peekKind();
                int id = queue.peekId();
                queue.pop();
                switch (kind) {
                    case END -> {
                        int g = dc.gpuOf(id);
                        if (dc.end(id, now)) {
                            finished[id] = now;
                            ranOn[id] = g;
                            active--;
                            events++;
                        }
                    }
                    case LOAD -> {
                        dc.loadStep(now);
                        queue.push(now + setup.load().stepSeconds() * 1000, EventQueue.Kind.LOAD, 0);
                        events++;
                    }
                    case CONTROL -> {
                        loops.step(id, now);
                        events++;
                    }
                }
            } else if (next < n) {
                now = arrival;
                dc.arrive(next++, now);
                events++;
                if (progress != null && (next & 0xFFFF) == 0) {
                    progress.accept(now);
                }
            } else {
                throw new IllegalStateException(active + " tasks can never be placed (" + dc.waitingTasks()
                        + " waiting): a task larger than any GPU, or a cluster with no GPU");
            }
        }
        double wall = (wallClock.getAsLong() - wall0) / 1e9;
        RunResult r = rec.finish(policy.key(), now, events, loops == null ? 0 : loops.steps(),
                setup.plant().modelCalls(), wall);
        return new Outcome(r, finished, ranOn);
    }

    /**
     * Pool sizes of {@code separate-5to1}: the inference pool is bought for the peak of concurrent inference
     * pieces (one per GPU), the training pool is a fifth of it; with a cluster, 5/6 and 1/6 of it.
     */
    int[] separatePools() {
        if (setup.capacity() > 0) {
            int inf = Math.max(1, setup.capacity() * 5 / 6);
            return new int[] {inf, Math.max(1, setup.capacity() - inf)};
        }
        int inf = Math.max(1, tasks.peakConcurrent(TaskTable.INFERENCE));
        return new int[] {inf, Math.max(1, (inf + 4) / 5)};
    }

    /** A run's metrics and, per task, when it finished (ms) and the GPU it ran on. */
    public record Outcome(RunResult result, long[] finishedMs, int[] gpu) {
    }
}
