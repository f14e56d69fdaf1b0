package io.gpucolo.cli.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How the demo wires the components together: the two inference services and their load, the training
 * stream, and the commands and endpoints of the emulated GPU, admitd and noded. The one place that knows
 * the other components' command lines and metric names.
 */
final class DemoWiring {
    /** One demo inference service: its name, latency profile, SLO, nominal rate and batch size. */
    record Service(String name, String model, double sloMs, double rate, int maxBatch, long memoryMiB) {
    }

    static final List<Service> SERVICES = List.of(
            new Service("vision", "resnet50", 60, 150, 8, 2048),
            new Service("qa", "bert", 150, 40, 4, 4096));
    static final String LATENCY_HISTOGRAM = "emu_inference_request_duration_seconds";
    static final String TRAINING_PREFIX = "train-";
    /** Seconds a service runs at nominal load before its burst, beyond the demo's warm-up: start-up slack. */
    static final int START_SLACK_S = 4;

    private final Path lab;
    private final String user;
    private final DemoSchedule schedule;
    private final Map<String, Double> serviceStartS = new LinkedHashMap<>();
    private final Map<String, URI> serviceMetrics = new LinkedHashMap<>();
    private int trainingSubmitted;

    DemoWiring(Path lab, String user, DemoSchedule schedule) {
        this.lab = lab;
        this.user = user;
        this.schedule = schedule;
    }

    /** Environment for etc/lab/bringup.sh. */
    Map<String, String> bringupEnv() {
        return Map.of("GPUS", "4", "FRESH", "1", "HOOK", "1");
    }

    /** After Slurm is up: nothing yet beyond bringup's own wiring. */
    void afterBringup(ProcessTracker tracker, Map<String, String> env) {
        // the hooks are wired by bringup.sh
    }

    /** Starts the emulated GPU, admitd and noded as tracked processes. */
    void startDaemons(ProcessTracker tracker, Map<String, String> env) {
        Path log = lab.resolve("log");
        mkdirs(log);
        Path sock = lab.resolve("run/emu-gpu.sock");
        env.put("GPUCOLO_EMU_GPU_SOCKET", sock.toString());
        tracker.start("emu-gpu", gpucolo("emu-gpu", "--socket", sock.toString(), "--gpus", "4"), env,
                log.resolve("emu-gpu.log"));
        awaitFile(sock, 20_000, "the emulated GPU socket " + sock);
    }

    /** Submits both services; their load schedules are written under {@code lab/etc}. */
    void submitServices(SlurmJobs jobs, Timeline tl) {
        for (Service s : SERVICES) {
            Path sched = lab.resolve("etc/load-" + s.name() + ".txt");
            int w = schedule.warmupS() + START_SLACK_S;
            write(sched, String.format(Locale.ROOT, "# written by gpucolo demo: nominal, %.1fx burst, nominal%n0 %.1f%n%d %.1f%n%d %.1f%n",
                    schedule.burstFactor(), s.rate(), w, s.rate() * schedule.burstFactor(), w + schedule.burstS(), s.rate()));
            Path port = lab.resolve("out/" + s.name() + ".port");
            long id = jobs.submit("svc-" + s.name(), "gpucolo:service=" + s.name(), List.of(),
                    List.of("emu-infer", "--model", s.model(), "--rate", Double.toString(s.rate()), "--schedule",
                            sched.toString(), "--max-batch", Integer.toString(s.maxBatch()), "--memory-mib",
                            Long.toString(s.memoryMiB()), "--metrics-port", "0", "--port-file", port.toString()));
            tl.event(0, "service", "submitted service " + s.name() + " (SLO p99 " + s.sloMs() + " ms) as job " + id);
        }
    }

    /** The time (demo seconds) service {@code name}'s burst starts, once it is serving. */
    Optional<Double> burstStart(String name) {
        return Optional.ofNullable(serviceStartS.get(name)).map(t -> t + schedule.warmupS() + START_SLACK_S);
    }

    /** Notes services that started serving (their port file appeared) at demo time {@code t}. */
    void pollServices(double t) {
        for (Service s : SERVICES) {
            if (serviceMetrics.containsKey(s.name())) {
                continue;
            }
            Path port = lab.resolve("out/" + s.name() + ".port");
            try {
                String p = Files.readString(port, StandardCharsets.US_ASCII).strip();
                if (p.matches("\\d{1,5}")) {
                    serviceMetrics.put(s.name(), URI.create("http://127.0.0.1:" + p + "/metrics"));
                    serviceStartS.put(s.name(), t);
                }
            } catch (IOException notYet) {
                // not serving yet
            }
        }
    }

    boolean allServing() {
        return serviceMetrics.size() == SERVICES.size();
    }

    /** Submits the next training job when one is due at demo time {@code t}. */
    void submitTraining(SlurmJobs jobs, Timeline tl, double t) {
        if (trainingSubmitted >= schedule.trainingJobs() || t < trainingSubmitted * schedule.trainingEveryS()) {
            return;
        }
        String name = TRAINING_PREFIX + (++trainingSubmitted);
        Path progress = lab.resolve("out/" + name + ".progress");
        long id = jobs.submit(name, "gpucolo:train share=30 mem=2G", List.of(),
                List.of("emu-train", "--iteration-ms", "50", "--memory-mib", "1024", "--progress-file", progress.toString()));
        tl.event(t, "training", "submitted " + name + " as job " + id);
    }

    Map<String, URI> serviceMetrics() {
        return serviceMetrics;
    }

    String latencyHistogram() {
        return LATENCY_HISTOGRAM;
    }

    double latencyUnitMs() {
        return 1000;
    }

    double sloMs(String service) {
        return SERVICES.stream().filter(s -> s.name().equals(service)).mapToDouble(Service::sloMs).findFirst()
                .orElse(Double.NaN);
    }

    boolean isTraining(String jobName) {
        return jobName.startsWith(TRAINING_PREFIX);
    }

    Optional<URI> nodedMetrics() {
        return Optional.empty();
    }

    void recordNoded(List<Scrape.Sample> s, double t, Timeline tl) {
        // wired when noded lands
    }

    double actionsTotal(List<Scrape.Sample> s) {
        return Double.NaN;
    }

    /** Training work done so far (GPU-ms, all jobs), from the progress files; NaN when none reported yet. */
    double trainingWorkMs() {
        double sum = 0;
        boolean any = false;
        for (int i = 1; i <= trainingSubmitted; i++) {
            try {
                String line = Files.readString(lab.resolve("out/" + TRAINING_PREFIX + i + ".progress"), StandardCharsets.UTF_8);
                for (String w : line.strip().split("\\s+")) {
                    if (w.startsWith("work_ms=")) {
                        sum += Double.parseDouble(w.substring("work_ms=".length()));
                        any = true;
                    }
                }
            } catch (IOException | NumberFormatException notYet) {
                // not started or mid-write
            }
        }
        return any ? sum : Double.NaN;
    }

    private List<String> gpucolo(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(lab.resolve("bin/gpucolo").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static void awaitFile(Path p, long ms, String what) {
        long deadline = System.nanoTime() + ms * 1_000_000L;
        while (!Files.exists(p)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not appear within " + ms / 1000 + " s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        }
    }

    private static void write(Path p, String text) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void mkdirs(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
