package io.gpucolo.node.noded;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpucolo.node.actuator.DutyCycler;
import io.gpucolo.node.actuator.LeaseGuard;
import io.gpucolo.node.actuator.PauseTarget;
import io.gpucolo.node.law.LatencySample;
import io.gpucolo.node.law.ServiceLatency;
import io.gpucolo.node.sensor.LatencySensor;
import io.gpucolo.node.sensor.PushReceiver;
import io.gpucolo.node.sensor.ScrapeSensor;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code gpucolo noded}, one per node: owns every actuation on the node. Start: resume what a previous incarnation
 * left stopped (lease state file), start the lease watchdog, the push endpoint, the metrics endpoint and the control
 * socket, then run every GPU's {@link GpuController} once per period on one scheduler thread and rewrite the
 * {@link Heartbeat}. Close (also on SIGTERM, through the shutdown hook): resume everything, stop.
 */
public final class Noded implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Noded.class);

    /**
     * @param socket       the control socket path
     * @param stateDir     lease state file and heartbeat ({@code /run/gpucolo})
     * @param period       the inner control period (default 1 s)
     * @param maxLease     the longest any stop may last
     * @param metricsPort  Prometheus endpoint port, on all interfaces; -1 disables it, 0 picks a free port
     * @param pushPort     UDP push endpoint port on loopback; -1 disables it, 0 picks a free port
     * @param allowedUsers who may use the control socket (root and the Slurm user)
     * @param laws         which control laws run
     */
    public record Config(Path socket, Path stateDir, Duration period, Duration maxLease, int metricsPort, int pushPort,
                         Set<String> allowedUsers, Laws laws, LawTuning tuning) {
        public Config {
            Objects.requireNonNull(socket, "socket");
            Objects.requireNonNull(stateDir, "stateDir");
            if (period.compareTo(Duration.ofMillis(50)) < 0 || period.compareTo(Duration.ofSeconds(60)) > 0) {
                throw new IllegalArgumentException("period must be within 50 ms .. 60 s, got " + period);
            }
            if (maxLease.compareTo(period) < 0) {
                throw new IllegalArgumentException("max lease " + maxLease + " must be at least one period " + period);
            }
            allowedUsers = Set.copyOf(allowedUsers);
            Objects.requireNonNull(laws, "laws");
            Objects.requireNonNull(tuning, "tuning");
        }

        /** With the laws' default tuning (no policy file). */
        public Config(Path socket, Path stateDir, Duration period, Duration maxLease, int metricsPort, int pushPort,
                      Set<String> allowedUsers, Laws laws) {
            this(socket, stateDir, period, maxLease, metricsPort, pushPort, allowedUsers, laws, LawTuning.defaultsFor(period));
        }
    }

    private final Config config;
    private final Clock clock;
    private final LeaseGuard guard;
    private final DutyCycler cycler;
    private final PushReceiver push;
    private final HTTPServer metricsServer;
    private final NodedMetrics metrics;
    private final ShareChanger changer;
    private final ControlServer control;
    private final ScheduledExecutorService loop;
    private final ExecutorService slow = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "gpucolo-noded-share");
        t.setDaemon(true);
        return t;
    });
    private final Map<Integer, GpuController> gpus = new TreeMap<>();
    private final int resumedAtStart;

    public Noded(Config config, Clock clock, ShareChanger changer) throws IOException {
        this.config = config;
        this.clock = clock;
        this.changer = changer;
        Files.createDirectories(config.stateDir());
        Path leases = config.stateDir().resolve("leases");
        resumedAtStart = LeaseGuard.resumeLeftovers(leases);
        guard = new LeaseGuard(leases, config.maxLease(), true);
        cycler = new DutyCycler(guard, config.period());
        push = config.pushPort() < 0 ? null : new PushReceiver(config.pushPort());
        PrometheusRegistry registry = new PrometheusRegistry();
        metrics = new NodedMetrics(registry);
        metricsServer = config.metricsPort() < 0 ? null
                : HTTPServer.builder().port(config.metricsPort()).registry(registry).buildAndStart();
        loop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "gpucolo-noded-loop"));
        control = new ControlServer(config.socket(), config.allowedUsers(), this::handle);
        long p = config.period().toNanos();
        loop.scheduleAtFixedRate(this::tick, p, p, TimeUnit.NANOSECONDS);
        LOG.info("noded up: socket {}, period {} ms, laws {}, resumed {} leftover(s)", config.socket(),
                config.period().toMillis(), config.laws(), resumedAtStart);
    }

    public int resumedAtStart() {
        return resumedAtStart;
    }

    public int metricsPort() {
        return metricsServer == null ? -1 : metricsServer.getPort();
    }

    public int pushPort() {
        return push == null ? -1 : push.port();
    }

    private void tick() {
        synchronized (gpus) {
            for (GpuController c : gpus.values()) {
                c.tick();
            }
        }
        try {
            Heartbeat.beat(config.stateDir().resolve("heartbeat"), clock.instant());
        } catch (IOException e) {
            LOG.error("cannot write heartbeat in {}: {}", config.stateDir(), e.getMessage());
        }
    }

    Wire.Reply handle(Wire.Request req) {
        String op = req.op() == null ? "" : req.op();
        switch (op) {
            case "register":
                if (req.job() == null) {
                    return Wire.Reply.error("register needs a job");
                }
                register(req.job());
                return Wire.Reply.resumed(0);
            case "deregister":
                return Wire.Reply.resumed(deregister(requireJob(req)));
            case "resume":
                return Wire.Reply.resumed(req.jobId() == null ? guard.resumeAll() : resume(req.jobId()));
            case "status":
                return new Wire.Reply(true, null, null, status());
            default:
                return Wire.Reply.error("unknown op '" + op + "': expected register, deregister, resume or status");
        }
    }

    private static String requireJob(Wire.Request req) {
        if (req.jobId() == null || req.jobId().isBlank()) {
            throw new IllegalArgumentException(req.op() + " needs a jobId");
        }
        return req.jobId();
    }

    private void register(JobRegistration job) {
        deregister(job.jobId());
        synchronized (gpus) {
            GpuController c = gpus.computeIfAbsent(job.gpu(), this::newController);
            if (job.role() == Role.INFERENCE) {
                c.addInference(job.jobId(), sensorFor(job));
            } else {
                c.addTraining(new GpuController.Training(job.jobId(), targetOf(job), job.launcherSocket(), job.mpsShare()));
            }
        }
        LOG.info("registered {} job {} on gpu {}", job.role(), job.jobId(), job.gpu());
    }

    private GpuController newController(int gpu) {
        return new GpuController(gpu, (share, slo) -> config.laws().create(config.period(), config.tuning(), share, slo, clock.instant()),
                cycler, changer, slow, clock, metrics, 3);
    }

    private LatencySensor sensorFor(JobRegistration job) {
        if (job.metricsUrl() != null) {
            Duration timeout = config.period().dividedBy(2).compareTo(Duration.ofMillis(500)) > 0
                    ? Duration.ofMillis(500) : config.period().dividedBy(2);
            return new ScrapeSensor(job.service(), job.sloMs(), URI.create(job.metricsUrl()), job.metricName(), timeout);
        }
        if (push == null) {
            throw new IllegalArgumentException("inference job " + job.jobId() + " gives no metrics URL and the push endpoint is disabled");
        }
        return push.sensor(job.service(), job.sloMs());
    }

    private static PauseTarget targetOf(JobRegistration job) {
        if (job.cgroup() != null) {
            Path cg = Path.of(job.cgroup());
            if (Files.exists(cg.resolve("cgroup.freeze"))) {
                return new PauseTarget.Freezer(cg, true);
            }
            if (Files.exists(cg.resolve("freezer.state"))) {
                return new PauseTarget.Freezer(cg, false);
            }
            throw new IllegalArgumentException("training job " + job.jobId() + ": " + cg + " has neither cgroup.freeze nor freezer.state");
        }
        if (job.pids().isEmpty()) {
            return null;   // resolved from the launcher socket once the launcher runs (JobRegistration checked one is given)
        }
        return new PauseTarget.Pids(job.pids());
    }

    private int deregister(String jobId) {
        int n = 0;
        synchronized (gpus) {
            for (GpuController c : gpus.values()) {
                for (GpuController.Training t : c.trainings()) {
                    n += t.jobId().equals(jobId) ? 1 : 0;
                }
                try {
                    c.remove(jobId);
                } catch (IOException e) {
                    LOG.error("job {}: resume on deregister failed: {}", jobId, e.getMessage());
                }
            }
            gpus.values().removeIf(GpuController::isEmpty);
        }
        return n;
    }

    private int resume(String jobId) {
        int n = 0;
        synchronized (gpus) {
            for (GpuController c : gpus.values()) {
                for (GpuController.Training t : c.trainings()) {
                    if (t.jobId().equals(jobId) && t.target() != null) {
                        try {
                            guard.resume(t.target());
                            n++;
                        } catch (IOException e) {
                            LOG.error("job {}: resume failed: {}", jobId, e.getMessage());
                        }
                    }
                }
            }
        }
        return n;
    }

    private ObjectNode status() {
        ObjectNode root = Wire.JSON.createObjectNode();
        root.put("pid", ProcessHandle.current().pid());
        root.put("periodMs", config.period().toMillis());
        root.put("laws", config.laws().name());
        root.put("metricsPort", metricsPort());
        root.put("pushPort", pushPort());
        ArrayNode leases = root.putArray("leased");
        guard.held().forEach(leases::add);
        ArrayNode arr = root.putArray("gpus");
        synchronized (gpus) {
            for (GpuController c : gpus.values()) {
                ObjectNode g = arr.addObject();
                g.put("gpu", c.gpu());
                g.put("coLocated", c.coLocated());
                g.put("duty", c.duty());
                g.put("mpsShare", c.share());
                g.put("sensorUp", !c.sensorDown());
                g.put("actions", c.actions());
                ArrayNode inf = g.putArray("inference");
                c.inferenceJobs().forEach(inf::add);
                ArrayNode tr = g.putArray("training");
                c.trainings().forEach(t -> tr.add(t.jobId()));
                LatencySample s = c.lastSample();
                ArrayNode svc = g.putArray("services");
                if (s != null) {
                    for (ServiceLatency l : s.services()) {
                        ObjectNode o = svc.addObject();
                        o.put("service", l.service());
                        o.put("sloMs", l.sloMs());
                        o.put("p99Ms", l.hasData() ? l.p99Ms() : null);
                        o.put("requests", l.count());
                    }
                }
            }
        }
        return root;
    }

    /** Stops the loop and resumes everything noded stopped. Idempotent. */
    @Override
    public synchronized void close() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            control.close();
        } catch (IOException e) {
            LOG.warn("closing control socket: {}", e.getMessage());
        }
        guard.close();
        slow.shutdownNow();
        if (push != null) {
            try {
                push.close();
            } catch (IOException e) {
                LOG.warn("closing push endpoint: {}", e.getMessage());
            }
        }
        if (metricsServer != null) {
            metricsServer.close();
        }
        LOG.info("noded down: everything resumed");
    }
}
