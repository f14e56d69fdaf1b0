package io.gpucolo.node.noded;

import io.gpucolo.node.actuator.DutyCycler;
import io.gpucolo.node.actuator.PauseTarget;
import io.gpucolo.node.law.InnerLaw;
import io.gpucolo.node.law.LatencySample;
import io.gpucolo.node.law.OuterLaw;
import io.gpucolo.node.launcher.LauncherClient;
import io.gpucolo.node.law.ServiceLatency;
import io.gpucolo.node.sensor.LatencySensor;
import io.gpucolo.node.sensor.SensorUnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control loop of one co-located GPU: sensor → law → actuator, one {@link #tick} per inner period, driven by an
 * injected clock and executor. Each tick reads every inference service's window, feeds the sample to the inner law,
 * applies the duty cycle to every training job on the GPU through the {@link DutyCycler} (bounded leases), feeds the
 * outer law, and hands a share change to the {@link ShareChanger} on another thread.
 * <p>Fail safe: when any sensor is unavailable the laws are not fed; the duty in force is held for
 * {@code sensorGrace} periods, then the law's floor, but at least {@link #FAIL_SAFE_DUTY}, is applied until the sensor
 * answers again (inference stays protected, training keeps a trickle, and every stop still has its lease). A GPU without inference or without training
 * is not controlled: training runs free. The laws are built fresh (from the jobs' shares and the tightest SLO)
 * whenever the set of jobs changes.
 */
public final class GpuController {
    private static final Logger LOG = LoggerFactory.getLogger(GpuController.class);
    /** The duty while the sensors are down: inference protected, training not frozen for an unbounded time. */
    static final double FAIL_SAFE_DUTY = 0.05;

    /**
     * A training job on this GPU. {@code target} may be null when the job was registered by its launcher socket
     * only (the prolog runs before the launcher starts): the loop then asks the launcher for its pids each period
     * until it answers.
     */
    public record Training(String jobId, PauseTarget target, String launcherSocket, int share) {
    }

    private final int gpu;
    private final LawFactory laws;
    private final DutyCycler cycler;
    private final ShareChanger changer;
    private final Executor slow;
    private final InstantSource clock;
    private final ControlTelemetry telemetry;
    private final int sensorGrace;
    private final Map<String, LatencySensor> sensors = new ConcurrentHashMap<>();
    private final Map<String, Training> trainings = new ConcurrentHashMap<>();
    private volatile LatencySample last;
    private volatile double duty;
    private volatile int failedReads;
    private volatile long actions;

    /** Builds fresh laws for the GPU's current jobs: their training MPS share and tightest SLO. */
    @FunctionalInterface
    public interface LawFactory {
        Laws.Pair create(int share, double tightestSloMs);
    }

    private volatile Laws.Pair pair;

    public GpuController(int gpu, LawFactory laws, DutyCycler cycler, ShareChanger changer,
                         Executor slow, InstantSource clock, ControlTelemetry telemetry, int sensorGrace) {
        this.gpu = gpu;
        this.laws = laws;
        this.cycler = cycler;
        this.changer = changer;
        this.slow = slow;
        this.clock = clock;
        this.telemetry = telemetry;
        this.sensorGrace = sensorGrace;
        this.duty = 1;
    }

    public void addInference(String jobId, LatencySensor sensor) {
        LatencySensor old = sensors.put(jobId, sensor);
        pair = null;
        if (old != null) {
            old.close();
        }
    }

    public void addTraining(Training t) {
        trainings.put(t.jobId(), t);
        pair = null;
    }

    /** Forgets a job; a training job is resumed first. Returns true when the job was on this GPU. */
    public boolean remove(String jobId) throws IOException {
        LatencySensor s = sensors.remove(jobId);
        if (s != null) {
            s.close();
        }
        Training t = trainings.remove(jobId);
        pair = null;
        if (t != null && t.target() != null) {
            cycler.apply(t.target(), 1.0);
        }
        return s != null || t != null;
    }

    public boolean isEmpty() {
        return sensors.isEmpty() && trainings.isEmpty();
    }

    /** Both kinds present: this GPU is co-located and controlled. */
    public boolean coLocated() {
        return !sensors.isEmpty() && !trainings.isEmpty();
    }

    /** One inner period. Never throws: failures are logged and the loop goes on. */
    public void tick() {
        try {
            step();
        } catch (RuntimeException | IOException e) {
            LOG.error("gpu {}: control step failed: {}", gpu, e.toString());
        }
    }

    private void step() throws IOException {
        if (!coLocated()) {
            return;
        }
        if (pair == null) {
            pair = laws.create(trainings.values().stream().mapToInt(Training::share).min().orElse(100),
                    sensors.values().stream().mapToDouble(LatencySensor::sloMs).min().orElse(100));
        }
        InnerLaw inner = pair.inner();
        OuterLaw outer = pair.outer();
        LatencySample sample = read();
        String action = "";
        int share = outer.share();
        if (sample != null) {
            duty = inner.update(sample);
            int before = share;
            share = outer.update(sample, duty, inner.loadHeld());
            if (share != before) {
                action = "share";
                changeShares(share);
            }
        } else if (failedReads > sensorGrace) {
            duty = Math.max(inner.floor(), FAIL_SAFE_DUTY);
            action = "fail-safe";
        }
        for (Training t : trainings.values()) {
            PauseTarget target = t.target() != null ? t.target() : resolve(t);
            if (target != null) {
                cycler.apply(target, duty);
            }
        }
        if (!action.isEmpty()) {
            actions++;
        }
        last = sample;
        telemetry.period(gpu, sample, duty, share, action);
    }

    private PauseTarget resolve(Training t) {
        if (t.launcherSocket() == null) {
            return null;
        }
        try {
            List<Long> pids = new LauncherClient(Path.of(t.launcherSocket()), Duration.ofMillis(200)).pids();
            if (pids.isEmpty()) {
                return null;
            }
            PauseTarget target = new PauseTarget.Pids(pids);
            trainings.computeIfPresent(t.jobId(), (k, v) -> new Training(v.jobId(), target, v.launcherSocket(), v.share()));
            return target;
        } catch (IOException | RuntimeException e) {
            LOG.debug("gpu {}: launcher of job {} not answering yet: {}", gpu, t.jobId(), e.getMessage());
            return null;
        }
    }

    private LatencySample read() {
        List<ServiceLatency> windows = new ArrayList<>();
        for (Map.Entry<String, LatencySensor> e : sensors.entrySet()) {
            try {
                windows.add(e.getValue().read());
            } catch (SensorUnavailableException ex) {
                failedReads++;
                LOG.warn("gpu {}: sensor of job {} unavailable ({} in a row): {}", gpu, e.getKey(), failedReads, ex.getMessage());
                return null;
            }
        }
        failedReads = 0;
        return windows.isEmpty() ? null : new LatencySample(clock.instant(), windows);
    }

    private void changeShares(int share) {
        for (Training t : trainings.values()) {
            Training updated = new Training(t.jobId(), t.target(), t.launcherSocket(), share);
            trainings.replace(t.jobId(), updated);
            slow.execute(() -> {
                try {
                    List<Long> pids = changer.change(t.jobId(), t.launcherSocket(), share);
                    if (!pids.isEmpty()) {
                        trainings.computeIfPresent(t.jobId(), (k, v) ->
                                new Training(v.jobId(), new PauseTarget.Pids(pids), v.launcherSocket(), v.share()));
                    }
                    LOG.info("gpu {}: training job {} restarted with MPS share {}%", gpu, t.jobId(), share);
                } catch (Exception e) {
                    LOG.error("gpu {}: could not change job {} to MPS share {}%: {}", gpu, t.jobId(), share, e.getMessage());
                }
            });
        }
    }

    public int gpu() {
        return gpu;
    }

    public LatencySample lastSample() {
        return last;
    }

    public double duty() {
        return duty;
    }

    public int share() {
        Laws.Pair p = pair;
        return p != null ? p.outer().share() : trainings.values().stream().mapToInt(Training::share).min().orElse(100);
    }

    public long actions() {
        return actions;
    }

    public boolean sensorDown() {
        return failedReads > 0;
    }

    public List<Training> trainings() {
        return List.copyOf(trainings.values());
    }

    public List<String> inferenceJobs() {
        return List.copyOf(sensors.keySet());
    }
}
