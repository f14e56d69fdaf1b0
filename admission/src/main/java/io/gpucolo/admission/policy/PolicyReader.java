package io.gpucolo.admission.policy;

import io.gpucolo.admission.yaml.Suggest;
import io.gpucolo.admission.yaml.YamlValues;

import io.gpucolo.admission.yaml.Section;
import io.gpucolo.admission.yaml.Diagnostics;

import io.gpucolo.admission.model.InferenceService;
import io.gpucolo.admission.model.ServiceLoad;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the policy file's sections into a {@link Policy}: types and ranges per key (through {@link Section}),
 * then contradictions between keys, each reported where it is. Returns null when anything was reported.
 */
final class PolicyReader {
    private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern IDENT = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._-]{1,64}|\\*");
    private static final Pattern OPT_IDENT = Pattern.compile("[A-Za-z0-9._-]{0,64}");
    private static final Pattern MARKER = Pattern.compile("[A-Za-z0-9:=_.+/-]{1,64}");
    private static final Pattern ABS_PATH = Pattern.compile("/[^\\s]*");
    private static final Pattern OPT_ABS_PATH = Pattern.compile("(/[^\\s]*)?");
    private static final Pattern JDBC = Pattern.compile("jdbc:[^\\s]+");
    private static final Pattern LOOPBACK = Pattern.compile("127\\.0\\.0\\.1|::1|localhost");
    private static final long MAX_MEMORY_MIB = 16L << 20; // 16 TiB: far above any GPU
    private static final String NAME = "a name (letters, digits, '.', '_', '-')";

    private final Diagnostics diag;
    private final LatencyFloor floor;

    PolicyReader(Diagnostics diag, LatencyFloor floor) {
        this.diag = diag;
        this.floor = floor;
    }

    Policy read(Node root) {
        Section doc = Section.root(root, diag, PolicyLoader.KIND);
        Policy d = Policy.defaults();
        Policy.Margins margins = margins(doc.section("margins"), d.margins());
        List<InferenceService> services = services(doc, margins);
        Policy.Colocation colocation = colocation(doc.section("colocation"), d.colocation());
        Policy.Limits limits = limits(doc.section("limits"), d.limits());
        Policy.PlacementSettings placement = placement(doc.section("placement"), d.placement(), limits);
        Policy.Eviction eviction = eviction(doc.section("eviction"), d.eviction());
        Policy.Controller controller = controller(doc.section("controller"), d.controller());
        Policy.FailureModes failure = failure(doc.section("failure"), d.failure());
        Policy.Admitd admitd = admitd(doc.section("admitd"), d.admitd());
        Policy.Noded noded = noded(doc.section("noded"), d.noded());
        Policy.SlurmConventions slurm = slurm(doc.section("slurm"), d.slurm());
        doc.finish();
        if (!diag.clean()) {
            return null;
        }
        return build(doc, 0, null, () -> new Policy(services, colocation, placement, margins, limits, eviction, controller,
                failure, admitd, noded, slurm));
    }

    private List<InferenceService> services(Section doc, Policy.Margins margins) {
        List<InferenceService> out = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (Section s : doc.sections("services")) {
            int before = diag.count();
            String name = s.string("name", null, SERVICE, NAME);
            double slo = s.number("slo_p99_ms", null, 0.001, 3_600_000);
            List<String> users = s.strings("allowed_users", List.of(), USER, "a user name or '*'");
            String model = s.string("model", null, IDENT, NAME);
            Section load = s.requiredSection("nominal_load");
            double rate = load.number("requests_per_second", null, 0, 1e7);
            int batch = load.integer("batch", null, 1, 4096);
            load.finish();
            long memory = s.wholeNumber("memory_mib", null, 1, MAX_MEMORY_MIB);
            s.finish();
            if (name != null && seen.putIfAbsent(name, s.path()) != null) {
                s.report("name", "service '" + name + "' is already declared by " + seen.get(name));
            }
            if (model != null && s.has("model") && !floor.knows(model)) {
                s.report("model", "no latency profile for model '" + model + "'");
            } else if (diag.count() == before) {
                checkSloAboveFloor(s, slo, model, batch, margins.sloMargin());
            }
            InferenceService service = build(s, before, null, () -> new InferenceService(name, slo,
                    new LinkedHashSet<>(users), model, new ServiceLoad(rate, batch), memory));
            if (service != null) {
                out.add(service);
            }
        }
        return out;
    }

    private void checkSloAboveFloor(Section s, double slo, String model, int batch, double margin) {
        OptionalDouble solo = floor.soloMs(model, batch);
        if (solo.isEmpty()) {
            return;
        }
        double target = slo * (1 - margin);
        if (slo < solo.getAsDouble()) {
            s.report("slo_p99_ms", String.format("%s ms is below the solo latency of model %s at batch %d "
                    + "(%.3f ms alone on the fastest GPU): no placement can meet it", plain(slo), model, batch,
                    solo.getAsDouble()));
        } else if (target < solo.getAsDouble()) {
            s.report("slo_p99_ms", String.format("%s ms less the %.0f%% SLO margin leaves %.3f ms, below the solo "
                    + "latency of model %s at batch %d (%.3f ms): no placement can meet it", plain(slo), margin * 100,
                    target, model, batch, solo.getAsDouble()));
        }
    }

    private Policy.Colocation colocation(Section s, Policy.Colocation d) {
        int before = diag.count();
        List<String> partitions = s.strings("partitions", sorted(d.partitions()), IDENT, NAME);
        List<String> qos = s.strings("qos", sorted(d.qos()), IDENT, NAME);
        List<String> accounts = s.strings("accounts", sorted(d.accounts()), IDENT, NAME);
        s.finish();
        return build(s, before, d, () -> new Policy.Colocation(new HashSet<>(partitions), new HashSet<>(qos), new HashSet<>(accounts)));
    }

    private Policy.PlacementSettings placement(Section s, Policy.PlacementSettings d, Policy.Limits limits) {
        int before = diag.count();
        PlacementPlugin plugin = s.choice("plugin", d.plugin(), PlacementPlugin::fromKey, keys(PlacementPlugin.values()));
        int share = s.integer("static_share_percent", d.staticSharePercent(), 1, 99);
        s.finish();
        if (diag.clean() && plugin == PlacementPlugin.STATIC_SHARE && s.has("static_share_percent")
                && (share < limits.trainingShareMinPercent() || share > limits.trainingShareMaxPercent())) {
            s.report("static_share_percent", share + " is outside the training share bounds "
                    + limits.trainingShareMinPercent() + ".." + limits.trainingShareMaxPercent()
                    + " (limits.training_share_min_percent, limits.training_share_max_percent)");
        }
        return build(s, before, d, () -> new Policy.PlacementSettings(plugin, share));
    }

    private Policy.Margins margins(Section s, Policy.Margins d) {
        int before = diag.count();
        double slo = s.number("slo_margin", d.sloMargin(), 0, 0.9);
        double burst = s.number("burst_margin", d.burstMargin(), 0, 10);
        Duration horizon = s.seconds("forecast_horizon_s", d.forecastHorizon(), 1, 7 * 86_400);
        Duration history = s.seconds("history_window_s", d.historyWindow(), 1, 366 * 86_400L);
        s.finish();
        return build(s, before, d, () -> new Policy.Margins(slo, burst, horizon, history));
    }

    private Policy.Limits limits(Section s, Policy.Limits d) {
        int before = diag.count();
        int guests = s.integer("max_guests_per_gpu", d.maxGuestsPerGpu(), 1, 48);
        int min = s.integer("training_share_min_percent", d.trainingShareMinPercent(), 1, 100);
        int max = s.integer("training_share_max_percent", d.trainingShareMaxPercent(), 1, 100);
        long minMemory = s.wholeNumber("min_guest_memory_mib", d.minGuestMemoryMiB(), 1, MAX_MEMORY_MIB);
        long reserve = s.wholeNumber("memory_reserve_mib", d.memoryReserveMiB(), 0, MAX_MEMORY_MIB);
        s.finish();
        if (diag.count() == before && min > max) {
            s.reportAtFirst("training_share_min_percent " + min + " is above training_share_max_percent " + max,
                    "training_share_min_percent", "training_share_max_percent");
        }
        return build(s, before, d, () -> new Policy.Limits(guests, min, max, minMemory, reserve));
    }

    private Policy.Eviction eviction(Section s, Policy.Eviction d) {
        int before = diag.count();
        List<String> names = keys(EvictionAction.values());
        List<String> order = s.strings("order", keys(d.order().toArray(EvictionAction[]::new)), IDENT, "an action");
        Duration escalate = s.seconds("escalate_after_s", d.escalateAfter(), 1, 86_400);
        s.finish();
        List<EvictionAction> actions = new ArrayList<>();
        Node list = s.node("order");
        for (int i = 0; i < order.size(); i++) {
            String a = order.get(i);
            Node at = list instanceof org.yaml.snakeyaml.nodes.SequenceNode seq ? seq.getValue().get(i) : null;
            var action = EvictionAction.fromKey(a);
            if (action.isEmpty()) {
                report(s, at, "'" + YamlValues.clip(a) + "' is not one of " + String.join(", ", names) + Suggest.didYouMean(a, names));
            } else if (actions.contains(action.get())) {
                report(s, at, "'" + a + "' is listed twice");
            } else {
                actions.add(action.get());
            }
        }
        if (order.isEmpty()) {
            s.report("order", "name at least one action (" + String.join(", ", names) + ")");
        }
        return build(s, before, d, () -> new Policy.Eviction(actions, escalate));
    }

    private void report(Section s, Node at, String message) {
        if (at == null) {
            s.report("order", message);
        } else {
            s.report(at, s.qualified("order") + ": " + message);
        }
    }

    private Policy.Controller controller(Section s, Policy.Controller base) {
        int before = diag.count();
        Duration inner = s.millis("inner_period_ms", base.innerPeriod(), 10, 60_000);
        // the defaults of what is counted in periods keep their times at the period the policy sets
        Policy.Controller d = diag.count() > before ? base : base.atInnerPeriod(inner);
        Duration outer = s.millis("outer_period_ms", d.outerPeriod(), 250, 3_600_000);
        Duration lease = s.millis("stop_lease_ms", d.stopLease(), 10, 600_000);
        double slack = s.number("slack_target", d.slackTarget(), 0, 0.9);
        double gain = s.number("gain", d.gain(), 1e-3, 10);
        double gainMin = s.number("gain_min", d.gainMin(), 1e-3, 10);
        double gainMax = s.number("gain_max", d.gainMax(), 1e-3, 10);
        double forgetting = s.number("forgetting", d.forgetting(), 0.5, 1);
        double dutyMin = s.number("duty_cycle_min", d.dutyCycleMin(), 0, 0.99);
        double raiseStep = s.number("raise_step", d.raiseStep(), 0.001, 1);
        int raiseAfter = s.integer("raise_after_periods", d.raiseAfterPeriods(), 1, 10_000);
        int maxWait = s.integer("max_wait_periods", d.maxWaitPeriods(), 1, 100_000);
        double surgeRatio = s.number("surge_ratio", d.surgeRatio(), 0.01, 100);
        double surgeSigmas = s.number("surge_sigmas", d.surgeSigmas(), 0, 100);
        int trigger = s.integer("outer_trigger_periods", d.outerTriggerPeriods(), 1, 10_000);
        double shareGain = s.number("share_gain", d.shareGain(), 0.1, 500);
        double deadBand = s.number("share_dead_band_percent", d.shareDeadBandPercent(), 0, 100);
        double roomSlack = s.number("room_slack", d.roomSlack(), 0, 0.99);
        s.finish();
        if (diag.count() > before) {
            return base; // contradictions are judged between valid values only
        }
        if (outer.compareTo(inner.multipliedBy(Policy.Controller.MIN_OUTER_INNER_RATIO)) < 0) {
            s.reportAtFirst("outer_period_ms " + outer.toMillis() + " ms is shorter than "
                    + Policy.Controller.MIN_OUTER_INNER_RATIO + " inner periods of " + inner.toMillis() + " ms",
                    "outer_period_ms", "inner_period_ms");
        }
        if (gainMin > gainMax) {
            s.reportAtFirst("gain_min " + plain(gainMin) + " is above gain_max " + plain(gainMax), "gain_min", "gain_max");
        } else if (gain < gainMin || gain > gainMax) {
            s.reportAtFirst("gain " + plain(gain) + " is outside [gain_min, gain_max] = [" + plain(gainMin) + ", "
                    + plain(gainMax) + "]", "gain", "gain_min", "gain_max");
        }
        if (raiseAfter > maxWait) {
            s.reportAtFirst("raise_after_periods " + raiseAfter + " is above max_wait_periods " + maxWait,
                    "raise_after_periods", "max_wait_periods");
        }
        if (roomSlack < slack) {
            s.reportAtFirst("room_slack " + plain(roomSlack) + " is below slack_target " + plain(slack)
                    + ": full duty would count as room while the inner tier is still cutting", "room_slack", "slack_target");
        }
        if (lease.compareTo(inner) < 0) {
            s.reportAtFirst("stop_lease_ms " + lease.toMillis() + " ms is shorter than the inner period of "
                    + inner.toMillis() + " ms: every stop would expire before the controller renews it",
                    "stop_lease_ms", "inner_period_ms");
        }
        return build(s, before, base, () -> new Policy.Controller(inner, outer, lease, slack, gain, gainMin, gainMax,
                forgetting, dutyMin, raiseStep, raiseAfter, maxWait, surgeRatio, surgeSigmas, trigger, shareGain,
                deadBand, roomSlack));
    }

    private Policy.FailureModes failure(Section s, Policy.FailureModes d) {
        int before = diag.count();
        Policy.ComponentFailure admitd = component(s.section("admitd"), d.admitd(), 5_000);
        Policy.ComponentFailure noded = component(s.section("noded"), d.noded(), 600_000);
        s.finish();
        return build(s, before, d, () -> new Policy.FailureModes(admitd, noded));
    }

    private Policy.ComponentFailure component(Section s, Policy.ComponentFailure d, long maxDeadlineMs) {
        int before = diag.count();
        FailMode mode = s.choice("mode", d.mode(), FailMode::fromKey, keys(FailMode.values()));
        Duration deadline = s.millis("deadline_ms", d.deadline(), 1, maxDeadlineMs);
        s.finish();
        return build(s, before, d, () -> new Policy.ComponentFailure(mode, deadline));
    }

    private Policy.Admitd admitd(Section s, Policy.Admitd d) {
        int before = diag.count();
        String address = s.string("listen_address", d.listenAddress(), LOOPBACK, "a loopback address (127.0.0.1, ::1 or localhost)");
        int port = s.integer("port", d.port(), 1, 65535);
        String peer = s.string("allowed_peer", d.allowedPeer(), IDENT, "a Unix user name");
        String url = s.string("database_url", d.databaseUrl(), JDBC, "a JDBC URL (jdbc:...)");
        String user = s.string("database_user", d.databaseUser(), OPT_IDENT, "a database user name");
        String password = s.string("database_password_file", d.databasePasswordFile(), OPT_ABS_PATH, "an absolute path");
        Duration reconcile = s.seconds("reconcile_period_s", d.reconcilePeriod(), 1, 86_400);
        Duration repack = s.seconds("repack_period_s", d.repackPeriod(), 1, 86_400);
        s.finish();
        return build(s, before, d, () -> new Policy.Admitd(address, port, peer, url, user, password, reconcile, repack));
    }

    private Policy.Noded noded(Section s, Policy.Noded d) {
        int before = diag.count();
        String socket = s.string("control_socket", d.controlSocket(), ABS_PATH, "an absolute path");
        int port = s.integer("metrics_port", d.metricsPort(), 0, 65535);
        String pipes = s.string("mps_pipe_root", d.mpsPipeRoot(), ABS_PATH, "an absolute path");
        String logs = s.string("mps_log_root", d.mpsLogRoot(), ABS_PATH, "an absolute path");
        s.finish();
        return build(s, before, d, () -> new Policy.Noded(socket, port, pipes, logs));
    }

    private Policy.SlurmConventions slurm(Section s, Policy.SlurmConventions d) {
        int before = diag.count();
        String prefix = s.string("service_prefix", d.servicePrefix(), MARKER, "a comment marker");
        String training = s.string("training_comment", d.trainingComment(), MARKER, "a comment marker");
        String qos = s.string("training_qos", d.trainingQos(), OPT_IDENT, "a QOS name");
        String partition = s.string("dedicated_partition", d.dedicatedPartition(), IDENT, "a partition name");
        s.finish();
        if (diag.count() == before && (training.startsWith(prefix) || prefix.startsWith(training))) {
            s.report("training_comment", "'" + training + "' and service_prefix '" + prefix
                    + "' overlap: one is a prefix of the other, so a job could not be told apart");
        }
        return build(s, before, d, () -> new Policy.SlurmConventions(prefix, training, qos, partition));
    }

    /**
     * Builds a section's record when the section had no problem since {@code before}, else returns
     * {@code fallback}; a rule the record enforces that the reader missed is still reported, never thrown.
     */
    private <T> T build(Section s, int before, T fallback, Supplier<T> make) {
        if (diag.count() > before) {
            return fallback;
        }
        try {
            return make.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            diag.at(s.start(), (s.path().isEmpty() ? "" : s.path() + ": ") + e.getMessage());
            return fallback;
        }
    }

    private static List<String> keys(Enum<?>[] values) {
        List<String> out = new ArrayList<>();
        for (Enum<?> v : values) {
            out.add(YamlValues.render(v));
        }
        return out;
    }

    private static List<String> sorted(java.util.Set<String> set) {
        return set.stream().sorted().toList();
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
