package io.gpucolo.admission.policy;

import io.gpucolo.admission.model.InferenceService;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The site's policy: one immutable tree, read from the YAML policy file ({@code etc/gpucolo.yaml.example}
 * documents every key) or taken from {@link #defaults()}. Each record checks its own invariants; the file
 * loader reports every problem with its line and column before any record is built.
 *
 * @param services    the inference services the site declares (unique names)
 * @param colocation  which training jobs may be co-located
 * @param placement   the placement plugin and its parameters
 * @param margins     safety margins and the forecast horizon
 * @param limits      hard limits per GPU and per guest
 * @param eviction    what to do, in order, when a GPU's headroom shrinks
 * @param controller  the node controller's two tiers
 * @param failure     what to do when a component is down
 * @param admitd      the admission daemon's endpoint and store
 * @param noded       the node daemon's endpoints and MPS directories
 * @param slurm       how Slurm jobs are recognised
 */
public record Policy(List<InferenceService> services, Colocation colocation, PlacementSettings placement,
                     Margins margins, Limits limits, Eviction eviction, Controller controller,
                     FailureModes failure, Admitd admitd, Noded noded, SlurmConventions slurm) {

    public Policy {
        services = List.copyOf(services);
        Set<String> names = new HashSet<>();
        for (InferenceService s : services) {
            require(names.add(s.name()), "service '" + s.name() + "' is declared twice");
        }
        Objects.requireNonNull(colocation, "colocation");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(margins, "margins");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(eviction, "eviction");
        Objects.requireNonNull(controller, "controller");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(admitd, "admitd");
        Objects.requireNonNull(noded, "noded");
        Objects.requireNonNull(slurm, "slurm");
    }

    /** The built-in policy: no services declared, every other key at its documented default. */
    public static Policy defaults() {
        return new Policy(List.of(), Colocation.DEFAULTS, PlacementSettings.DEFAULTS, Margins.DEFAULTS,
                Limits.DEFAULTS, Eviction.DEFAULTS, Controller.DEFAULTS, FailureModes.DEFAULTS, Admitd.DEFAULTS,
                Noded.DEFAULTS, SlurmConventions.DEFAULTS);
    }

    public Optional<InferenceService> service(String name) {
        for (InferenceService s : services) {
            if (s.name().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    public Policy withServices(List<InferenceService> s) {
        return new Policy(s, colocation, placement, margins, limits, eviction, controller, failure, admitd, noded, slurm);
    }

    public Policy withPlacement(PlacementSettings p) {
        return new Policy(services, colocation, p, margins, limits, eviction, controller, failure, admitd, noded, slurm);
    }

    public Policy withMargins(Margins m) {
        return new Policy(services, colocation, placement, m, limits, eviction, controller, failure, admitd, noded, slurm);
    }

    public Policy withLimits(Limits l) {
        return new Policy(services, colocation, placement, margins, l, eviction, controller, failure, admitd, noded, slurm);
    }

    public Policy withController(Controller c) {
        return new Policy(services, colocation, placement, margins, limits, eviction, c, failure, admitd, noded, slurm);
    }

    public Policy withFailure(FailureModes f) {
        return new Policy(services, colocation, placement, margins, limits, eviction, controller, f, admitd, noded, slurm);
    }

    public Policy withAdmitd(Admitd a) {
        return new Policy(services, colocation, placement, margins, limits, eviction, controller, failure, a, noded, slurm);
    }

    /**
     * Which opted-in training jobs may be co-located. Each non-empty set restricts: a job must match every
     * non-empty set. All empty (the default) means every job that opts in (see {@link SlurmConventions}).
     */
    public record Colocation(Set<String> partitions, Set<String> qos, Set<String> accounts) {
        public static final Colocation DEFAULTS = new Colocation(Set.of(), Set.of(), Set.of());

        public Colocation {
            partitions = Set.copyOf(partitions);
            qos = Set.copyOf(qos);
            accounts = Set.copyOf(accounts);
        }

        public boolean permits(String partition, String jobQos, String account) {
            return (partitions.isEmpty() || partitions.contains(partition))
                    && (qos.isEmpty() || qos.contains(jobQos))
                    && (accounts.isEmpty() || accounts.contains(account));
        }
    }

    /** The placement plugin and, for {@code static-share}, the fixed training share of every inference GPU. */
    public record PlacementSettings(PlacementPlugin plugin, int staticSharePercent) {
        public static final PlacementSettings DEFAULTS = new PlacementSettings(PlacementPlugin.HEADROOM, 30);

        public PlacementSettings {
            Objects.requireNonNull(plugin, "plugin");
            require(staticSharePercent >= 1 && staticSharePercent <= 99, "static share must be 1..99 percent, got " + staticSharePercent);
        }
    }

    /**
     * Safety margins. Admission keeps the predicted p99 under {@code SLO × (1 − sloMargin)} for the forecast
     * load inflated by {@code (1 + burstMargin)} over {@code forecastHorizon}, estimated from
     * {@code historyWindow} of load history.
     */
    public record Margins(double sloMargin, double burstMargin, Duration forecastHorizon, Duration historyWindow) {
        public static final Margins DEFAULTS = new Margins(0.10, 0.20, Duration.ofMinutes(5), Duration.ofHours(24));

        public Margins {
            require(sloMargin >= 0 && sloMargin < 1, "SLO margin must be in [0, 1), got " + sloMargin);
            require(burstMargin >= 0 && burstMargin <= 10, "burst margin must be in [0, 10], got " + burstMargin);
            positive(forecastHorizon, "forecast horizon");
            positive(historyWindow, "history window");
        }
    }

    /**
     * Hard limits. Training shares are MPS active-thread percentages; a guest's memory limit is raised to at
     * least {@code minGuestMemoryMiB}; {@code memoryReserveMiB} stays free on every GPU.
     */
    public record Limits(int maxGuestsPerGpu, int trainingShareMinPercent, int trainingShareMaxPercent,
                         long minGuestMemoryMiB, long memoryReserveMiB) {
        public static final Limits DEFAULTS = new Limits(2, 10, 90, 1024, 512);

        public Limits {
            require(maxGuestsPerGpu >= 1 && maxGuestsPerGpu <= 48, "max guests per GPU must be 1..48, got " + maxGuestsPerGpu);
            require(trainingShareMinPercent >= 1 && trainingShareMinPercent <= 100, "training share min must be 1..100 percent");
            require(trainingShareMaxPercent >= 1 && trainingShareMaxPercent <= 100, "training share max must be 1..100 percent");
            require(trainingShareMinPercent <= trainingShareMaxPercent, "training share min " + trainingShareMinPercent
                    + "% is above max " + trainingShareMaxPercent + "%");
            require(minGuestMemoryMiB >= 1, "min guest memory must be positive");
            require(memoryReserveMiB >= 0, "memory reserve must be >= 0");
        }
    }

    /**
     * When a GPU's headroom shrinks, the actions to take on its guests, most preferred first; the next
     * action is taken when the previous one has not restored the SLO within {@code escalateAfter}.
     */
    public record Eviction(List<EvictionAction> order, Duration escalateAfter) {
        public static final Eviction DEFAULTS = new Eviction(
                List.of(EvictionAction.THROTTLE, EvictionAction.SUSPEND, EvictionAction.REQUEUE), Duration.ofSeconds(30));

        public Eviction {
            order = List.copyOf(order);
            require(!order.isEmpty(), "eviction order must name at least one action");
            require(new HashSet<>(order).size() == order.size(), "eviction order names an action twice");
            positive(escalateAfter, "escalate-after");
        }
    }

    /**
     * The node controller (noded reads it; docs/NODE.md has the laws' equations). Inner tier, every
     * {@code innerPeriod}: the training duty cycle, by integral control of the tightest p99/SLO ratio towards
     * {@code 1 − slackTarget}, the plant gain identified online by recursive least squares ({@code forgetting}),
     * starting at {@code gain} within {@code [gainMin, gainMax]}; duty cut at once (never below
     * {@code dutyCycleMin}), given back at most {@code raiseStep} per period after {@code raiseAfterPeriods} quiet
     * periods (the wait doubling up to {@code maxWaitPeriods} after failed probes); a request-rate surge of
     * {@code surgeRatio} and {@code surgeSigmas} Poisson deviations cuts the duty to its floor at once. Outer tier,
     * at most every {@code outerPeriod} (at least 25 inner periods): the training MPS share, moved by
     * {@code shareGain} points per unit slack error once the inner tier has been saturated (or had at least
     * {@code roomSlack} at full duty) for {@code outerTriggerPeriods} periods, changes under
     * {@code shareDeadBandPercent} points skipped; within the limits' training share bounds. A stop is never held
     * longer than {@code stopLease} without renewal. The p99 is that of each inner period's requests.
     */
    public record Controller(Duration innerPeriod, Duration outerPeriod, Duration stopLease, double slackTarget,
                             double gain, double gainMin, double gainMax, double forgetting, double dutyCycleMin,
                             double raiseStep, int raiseAfterPeriods, int maxWaitPeriods, double surgeRatio,
                             double surgeSigmas, int outerTriggerPeriods, double shareGain, double shareDeadBandPercent,
                             double roomSlack) {
        /** The outer period is at least this many inner periods. */
        public static final int MIN_OUTER_INNER_RATIO = 25;
        /**
         * The laws' own defaults at noded's default period of 500 ms (a test in node-prolog keeps them equal): the
         * laws' 1-s settings with their times kept, i.e. give back 0.05 a period after 6 quiet periods (3 s), probe
         * again after at most 120 (60 s), the outer tier after a 20-period (10 s) run, forgetting 0.95^(1/2) a period.
         */
        public static final Controller DEFAULTS = new Controller(Duration.ofMillis(500), Duration.ofSeconds(25),
                Duration.ofSeconds(2), 0.25, 1.0, 0.25, 4.0, StrictMath.pow(0.95, 0.5), 0.0, 0.05, 6, 120, 0.2, 4.0, 20,
                100, 2, 0.30);

        public Controller {
            positive(innerPeriod, "inner period");
            positive(outerPeriod, "outer period");
            positive(stopLease, "stop lease");
            require(outerPeriod.compareTo(innerPeriod.multipliedBy(MIN_OUTER_INNER_RATIO)) >= 0,
                    "outer period " + outerPeriod.toMillis() + " ms is shorter than " + MIN_OUTER_INNER_RATIO
                            + " inner periods");
            require(stopLease.compareTo(innerPeriod) >= 0, "stop lease is shorter than the inner period");
            require(slackTarget >= 0 && slackTarget <= 0.9, "slack target must be in [0, 0.9]");
            require(gainMin > 0 && gainMin <= gain && gain <= gainMax && gainMax <= 10,
                    "gains must satisfy 0 < gain_min <= gain <= gain_max <= 10");
            require(forgetting > 0 && forgetting <= 1, "forgetting factor must be in (0, 1]");
            require(dutyCycleMin >= 0 && dutyCycleMin < 1, "duty cycle minimum must be in [0, 1)");
            require(raiseStep > 0 && raiseStep <= 1, "raise step must be in (0, 1]");
            require(raiseAfterPeriods >= 1 && raiseAfterPeriods <= maxWaitPeriods,
                    "need 1 <= raise_after_periods <= max_wait_periods");
            require(surgeRatio > 0 && Double.isFinite(surgeRatio) && surgeSigmas >= 0 && Double.isFinite(surgeSigmas),
                    "need surge_ratio > 0 and surge_sigmas >= 0");
            require(outerTriggerPeriods >= 1, "outer trigger periods must be >= 1");
            require(shareGain > 0 && shareGain <= 500, "share gain must be in (0, 500]");
            require(shareDeadBandPercent >= 0 && shareDeadBandPercent <= 100, "share dead band must be 0..100 points");
            require(roomSlack >= slackTarget && roomSlack < 1, "room slack must be in [slack target, 1)");
        }

        /**
         * These settings for a loop at another inner period, keeping their times (what a policy that sets only
         * {@code inner_period_ms} gets as the defaults of the rest), by {@link PeriodScale}: the counts in periods
         * (raise_after, max_wait, outer_trigger), the give-back step and the forgetting factor; the outer period
         * stays at least 25 inner periods and the stop lease at least two. The rest is per window and stays.
         */
        public Controller atInnerPeriod(Duration to) {
            positive(to, "inner period");
            if (to.equals(innerPeriod)) {
                return this;
            }
            PeriodScale scale = PeriodScale.between(innerPeriod, to);
            int raiseAfter = scale.count(raiseAfterPeriods, 1);
            Duration outer = outerPeriod.compareTo(to.multipliedBy(MIN_OUTER_INNER_RATIO)) < 0
                    ? to.multipliedBy(MIN_OUTER_INNER_RATIO) : outerPeriod;
            Duration lease = stopLease.compareTo(to.multipliedBy(2)) < 0 ? to.multipliedBy(2) : stopLease;
            return new Controller(to, outer, lease, slackTarget, gain, gainMin, gainMax, scale.forgetting(forgetting),
                    dutyCycleMin, scale.step(raiseStep), raiseAfter, scale.count(maxWaitPeriods, raiseAfter), surgeRatio,
                    surgeSigmas, scale.count(outerTriggerPeriods, 1), shareGain, shareDeadBandPercent, roomSlack);
        }
    }

    /** One component's failure rule: its mode and how long to wait for it before the mode applies. */
    public record ComponentFailure(FailMode mode, Duration deadline) {
        public ComponentFailure {
            Objects.requireNonNull(mode, "mode");
            positive(deadline, "deadline");
        }
    }

    /**
     * Failure rules. {@code admitd}: the submit hook waits at most its deadline, then fails open (the job goes
     * on unmodified, to the dedicated partition) or closed (rejected with a message). {@code noded}: not heard
     * from within its deadline, its jobs run unthrottled and the node is reported; closed also stops new
     * guests from being placed on that node and requeues its restartable guests.
     */
    public record FailureModes(ComponentFailure admitd, ComponentFailure noded) {
        public static final FailureModes DEFAULTS = new FailureModes(
                new ComponentFailure(FailMode.OPEN, Duration.ofMillis(100)),
                new ComponentFailure(FailMode.OPEN, Duration.ofSeconds(10)));

        public FailureModes {
            Objects.requireNonNull(admitd, "admitd");
            Objects.requireNonNull(noded, "noded");
        }
    }

    /**
     * The admission daemon: loopback endpoint for the submit hook, the only Unix user allowed to ask (the one
     * slurmctld runs as), the store's JDBC URL and credentials, and its periodic work.
     */
    public record Admitd(String listenAddress, int port, String allowedPeer, String databaseUrl, String databaseUser,
                         String databasePasswordFile, Duration reconcilePeriod, Duration repackPeriod) {
        public static final Set<String> LOOPBACK = Set.of("127.0.0.1", "::1", "localhost");
        public static final Admitd DEFAULTS = new Admitd("127.0.0.1", 6830, "slurm",
                "jdbc:h2:file:/var/lib/gpucolo/state;AUTO_SERVER=TRUE", "", "", Duration.ofSeconds(30),
                Duration.ofSeconds(10));

        public Admitd {
            require(LOOPBACK.contains(listenAddress), "listen address must be a loopback address, got " + listenAddress);
            require(port >= 1 && port <= 65535, "port must be 1..65535, got " + port);
            require(allowedPeer != null && !allowedPeer.isBlank(), "allowed peer must not be empty");
            require(databaseUrl != null && databaseUrl.startsWith("jdbc:"), "database URL must start with jdbc:");
            Objects.requireNonNull(databaseUser, "databaseUser");
            Objects.requireNonNull(databasePasswordFile, "databasePasswordFile");
            positive(reconcilePeriod, "reconcile period");
            positive(repackPeriod, "repack period");
        }
    }

    /** The node daemon: its control socket, its Prometheus port, and the roots of the per-GPU MPS directories. */
    public record Noded(String controlSocket, int metricsPort, String mpsPipeRoot, String mpsLogRoot) {
        public static final Noded DEFAULTS = new Noded("/run/gpucolo/noded.sock", 9477, "/run/gpucolo/mps",
                "/var/log/gpucolo/mps");

        public Noded {
            absolute(controlSocket, "control socket");
            require(metricsPort >= 0 && metricsPort <= 65535, "metrics port must be 0..65535 (0 = off)");
            absolute(mpsPipeRoot, "MPS pipe root");
            absolute(mpsLogRoot, "MPS log root");
        }
    }

    /**
     * How Slurm jobs are recognised. An inference service job carries {@code --comment=<servicePrefix>NAME}
     * (e.g. {@code gpucolo:service=resnet50}); a training job opts in to co-location with
     * {@code --comment=<trainingComment>} or, when {@code trainingQos} is set, by running in that QOS.
     * Jobs that are not co-located (and all training when admitd fails open) go to {@code dedicatedPartition}.
     */
    public record SlurmConventions(String servicePrefix, String trainingComment, String trainingQos,
                                   String dedicatedPartition) {
        public static final SlurmConventions DEFAULTS = new SlurmConventions("gpucolo:service=", "gpucolo:colocate",
                "", "gpu");

        public SlurmConventions {
            require(servicePrefix != null && !servicePrefix.isBlank(), "service prefix must not be empty");
            require(trainingComment != null && !trainingComment.isBlank(), "training comment must not be empty");
            require(!trainingComment.startsWith(servicePrefix) && !servicePrefix.startsWith(trainingComment),
                    "service prefix and training comment must not be prefixes of each other");
            Objects.requireNonNull(trainingQos, "trainingQos");
            require(dedicatedPartition != null && !dedicatedPartition.isBlank(), "dedicated partition must not be empty");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    private static void positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        require(!d.isNegative() && !d.isZero(), what + " must be positive");
    }

    private static void absolute(String path, String what) {
        require(path != null && path.startsWith("/"), what + " must be an absolute path, got " + path);
    }
}
