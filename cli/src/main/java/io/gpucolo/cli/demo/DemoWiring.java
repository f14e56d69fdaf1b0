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
            new Service("vision", "resnet50", 150, 100, 8, 2048),
            new Service("qa", "bert", 300, 20, 4, 4096));
    /** The emulated GPUs' model: the one the calibrated latency profiles were measured on. */
    static final String GPU_MODEL = "A100-80GB";
    static final long GPU_MEMORY_MIB = 81_920;
    static final String LATENCY_HISTOGRAM = "emu_inference_request_duration_seconds";
    static final String TRAINING_PREFIX = "train-";
    static final int NODED_METRICS_PORT = 9877;
    static final int NODED_PUSH_PORT = 9878;
    static final int ADMITD_PORT = 6839;
    /** Seconds a service runs at nominal load before its burst, beyond the demo's warm-up: start-up slack. */
    static final int START_SLACK_S = 4;

    private final Path lab;
    private final String user;
    private final DemoSchedule schedule;
    private final Map<String, Double> serviceStartS = new LinkedHashMap<>();
    private final Map<String, URI> serviceMetrics = new LinkedHashMap<>();
    private int trainingSubmitted;
    private boolean nodedUp;
    private final Map<String, Double> lastDuty = new java.util.HashMap<>();

    DemoWiring(Path lab, String user, DemoSchedule schedule) {
        this.lab = lab;
        this.user = user;
        this.schedule = schedule;
    }

    /** Environment for etc/lab/bringup.sh. */
    Map<String, String> bringupEnv() {
        Map<String, String> e = new java.util.HashMap<>(Map.of("GPUS", "4", "FRESH", "1", "HOOK", "1"));
        if (inBuild("prolog")) {    // in slurm.conf from slurmd's start; the script is written right after bringup
            e.put("TASK_PROLOG", lab.resolve("hooks/taskprolog.sh").toString());
        }
        return e;
    }

    /**
     * Wires Slurm's node hooks to this build: node settings for the hooks, an MPS control stand-in on the
     * emulated GPU, and the Prolog, Epilog and TaskProlog scripts (slurm.conf names them; slurmd reads a
     * script when it runs it) that run {@code gpucolo prolog|epilog|taskprolog}.
     */
    void afterBringup() {
        LabFiles.write(policyFile(), policyYaml());
        if (!inBuild("prolog")) {
            return;     // this build has no node hooks: bringup's stubs stay (no MPS, no registration with noded)
        }
        Path bin = lab.resolve("bin");
        Path gpucolo = bin.resolve("gpucolo");
        Path mps = bin.resolve("nvidia-cuda-mps-control");
        LabFiles.script(mps, "exec /usr/bin/env GPUCOLO_EMU_GPU_SOCKET=" + emuSocket() + " " + gpucolo + " emu-mps-control \"$@\"");
        Path conf = lab.resolve("etc/node.conf");
        LabFiles.write(conf, "# written by gpucolo demo: the node hooks' settings for this lab\n"
                + "mps_control = " + mps + "\nscontrol = /usr/bin/scontrol\nkill = /bin/kill\n"
                + "state_dir = " + lab.resolve("run/node") + "\nmps_pipe_root = " + lab.resolve("run/mps")
                + "\nmps_log_root = " + lab.resolve("log/mps") + "\nnoded_socket = " + lab.resolve("run/noded.sock")
                + "\nnoded_timeout_ms = 3000\npolicy = " + policyFile() + "\n");
        for (String hook : List.of("prolog", "epilog", "taskprolog")) {
            LabFiles.script(lab.resolve("hooks/" + hook + ".sh"), "exec " + gpucolo + " " + hook + " --config " + conf);
        }
    }

    /** Whether this build has the gpucolo subcommand {@code name} (components land one by one). */
    static boolean inBuild(String name) {
        return new picocli.CommandLine(new io.gpucolo.cli.Main()).getSubcommands().containsKey(name);
    }

    private Path policyFile() {
        return lab.resolve("etc/gpucolo-demo.yaml");
    }

    private Path emuSocket() {
        return lab.resolve("run/emu-gpu.sock");
    }


    /** Starts the emulated GPU, admitd and noded as tracked processes. */
    void startDaemons(ProcessTracker tracker, Map<String, String> env) {
        Path log = lab.resolve("log");
        LabFiles.mkdirs(log);
        Path sock = emuSocket();
        env.put("GPUCOLO_EMU_GPU_SOCKET", sock.toString());
        tracker.start("emu-gpu", gpucolo("emu-gpu", "--socket", sock.toString(), "--gpus", "4", "--gpu-model",
                GPU_MODEL, "--memory-mib", Long.toString(GPU_MEMORY_MIB)), env, log.resolve("emu-gpu.log"));
        LabFiles.awaitFile(sock, 20_000, "the emulated GPU socket " + sock);
        try {   // every user's jobs use the GPU, as /dev/nvidia* is mode 0666 on a GPU node
            Files.setPosixFilePermissions(sock, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
            Files.setPosixFilePermissions(sock.getParent(), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the emulated GPU socket to the jobs' users: " + e.getMessage(), e);
        }
        if (inBuild("noded")) {
            Path nodedSock = lab.resolve("run/noded.sock");
            tracker.start("noded", gpucolo("noded", "--policy", policyFile().toString(), "--socket", nodedSock.toString(),
                    "--state-dir", lab.resolve("run/node").toString(), "--metrics-port", Integer.toString(NODED_METRICS_PORT),
                    "--push-port", Integer.toString(NODED_PUSH_PORT), "--slurm-user", "root"), env, log.resolve("noded.log"));
            LabFiles.awaitFile(nodedSock, 30_000, "noded's control socket " + nodedSock);
            nodedUp = true;
        }
        Path policy = policyFile();
        Path hookConf = lab.resolve("etc/gpucolo-hook.conf");
        long before = hookConf.toFile().lastModified();
        tracker.start("admitd", gpucolo("admitd", "--policy", policy.toString(), "--journal",
                lab.resolve("state/admitd.journal").toString(), "--secret-file", lab.resolve("etc/gpucolo.secret").toString(),
                "--slurm-conf", lab.resolve("etc/slurm.conf").toString(), "--gpu-model", GPU_MODEL, "--gpu-memory-mib",
                Long.toString(GPU_MEMORY_MIB)), env, log.resolve("admitd.log"));
        LabFiles.awaitLine(log.resolve("admitd.log"), "admitd: listening", 30_000, "admitd");
        if (hookConf.toFile().lastModified() == before) {
            throw new IllegalStateException("admitd did not write the hook settings " + hookConf);
        }
    }

    /** The demo's policy: both services granted to the demo user, the store an H2 file in the lab. */
    String policyYaml() {
        StringBuilder y = new StringBuilder("# written by gpucolo demo\nservices:\n");
        for (Service s : SERVICES) {
            y.append(String.format(Locale.ROOT, "  - name: %s%n    slo_p99_ms: %.0f%n    allowed_users: [%s]%n"
                    + "    model: %s%n    nominal_load:%n      requests_per_second: %.0f%n      batch: %d%n"
                    + "    memory_mib: %d%n", s.name(), s.sloMs(), user, s.model(), s.rate(), s.maxBatch(), s.memoryMiB()));
        }
        y.append("failure:\n  admitd:\n    mode: open\n    deadline_ms: 200\n");
        y.append("admitd:\n  port: " + ADMITD_PORT + "\n  reconcile_period_s: 1\n  repack_period_s: 1\n");
        y.append("  database_url: \"jdbc:h2:file:").append(lab.resolve("state/gpucolo-h2")).append("\"\n");
        y.append("noded:\n  control_socket: ").append(lab.resolve("run/noded.sock")).append('\n');
        y.append("  metrics_port: ").append(NODED_METRICS_PORT).append('\n');
        y.append("  mps_pipe_root: ").append(lab.resolve("run/mps")).append('\n');
        y.append("  mps_log_root: ").append(lab.resolve("log/mps")).append('\n');
        y.append("slurm:\n  dedicated_partition: train\n");
        return y.toString();
    }

    /** Submits both services; their load schedules are written under {@code lab/etc}. */
    void submitServices(SlurmJobs jobs, Timeline tl) {
        for (Service s : SERVICES) {
            Path sched = lab.resolve("etc/load-" + s.name() + ".txt");
            int w = schedule.warmupS() + START_SLACK_S;
            LabFiles.write(sched, String.format(Locale.ROOT, "# written by gpucolo demo: nominal, %.1fx burst, nominal%n0 %.1f%n%d %.1f%n%d %.1f%n",
                    schedule.burstFactor(), s.rate(), w, s.rate() * schedule.burstFactor(), w + schedule.burstS(), s.rate()));
            Path port = lab.resolve("out/" + s.name() + ".port");
            List<String> args = new java.util.ArrayList<>(List.of("emu-infer", "--model", s.model(), "--rate",
                    Double.toString(s.rate()), "--schedule", sched.toString(), "--max-batch", Integer.toString(s.maxBatch()),
                    "--memory-mib", Long.toString(s.memoryMiB()), "--metrics-port", "0", "--port-file", port.toString()));
            if (nodedUp) {  // noded senses the service through its push endpoint (the prolog registers it)
                args.addAll(List.of("--push", "127.0.0.1:" + NODED_PUSH_PORT, "--service", s.name()));
            }
            long id = jobs.submit("svc-" + s.name(), "gpucolo:service=" + s.name(), List.of(), args);
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
                    // the service starts its schedule right before it writes the port file
                    double ageS = Math.max(0, (System.currentTimeMillis() - Files.getLastModifiedTime(port).toMillis()) / 1000.0);
                    serviceMetrics.put(s.name(), URI.create("http://127.0.0.1:" + p + "/metrics"));
                    serviceStartS.put(s.name(), t - ageS);
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
        List<String> train = List.of("emu-train", "--iteration-ms", "50", "--memory-mib", "1024", "--progress-file",
                progress.toString(), "--checkpoint", lab.resolve("out/" + name + ".ckpt").toString());
        List<String> args = new java.util.ArrayList<>();
        if (inBuild("run")) {   // the launcher: restartable MPS shares and cooperative sleep
            args.addAll(List.of("run", "--", lab.resolve("bin/gpucolo").toString()));
        }
        args.addAll(train);
        long id = jobs.submit(name, "gpucolo:colocate share=30 mem=2G", List.of(), args);
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
        return nodedUp ? Optional.of(URI.create("http://127.0.0.1:" + NODED_METRICS_PORT + "/metrics")) : Optional.empty();
    }

    /**
     * Records noded's per-GPU gauges ({@code duty.gN}, {@code share.gN} as a fraction) and an event when
     * a GPU's training duty cycle moves by 0.1 or more.
     */
    void recordNoded(List<Scrape.Sample> samples, double t, Timeline tl) {
        for (Scrape.Sample s : samples) {
            String gpu = s.labels().get("gpu");
            if (gpu == null) {
                continue;
            }
            if (s.name().equals("gpucolo_training_duty_cycle")) {
                tl.add("duty.g" + gpu, t, s.value());
                Double was = lastDuty.put(gpu, s.value());
                if (was != null && Math.abs(was - s.value()) >= 0.1) {
                    tl.event(t, "control", String.format(Locale.ROOT, "GPU g%s: training duty cycle %.2f -> %.2f",
                            gpu, was, s.value()));
                }
            } else if (s.name().equals("gpucolo_training_mps_share_percent")) {
                tl.add("share.g" + gpu, t, s.value() / 100);
            }
        }
    }

    /** Total controller actions so far (share changes, fail-safe periods), NaN when noded reports none. */
    double actionsTotal(List<Scrape.Sample> samples) {
        double sum = 0;
        boolean any = false;
        for (Scrape.Sample s : samples) {
            if (s.name().equals("gpucolo_control_actions_total")) {
                sum += s.value();
                any = true;
            }
        }
        return any ? sum : 0;
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




}
