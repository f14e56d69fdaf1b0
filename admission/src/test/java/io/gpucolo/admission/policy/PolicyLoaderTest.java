package io.gpucolo.admission.policy;

import io.gpucolo.admission.yaml.Problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpucolo.admission.latency.CalibratedLatencyModel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each kind of problem, at its exact line and column, and the values of a valid file. */
class PolicyLoaderTest {
    /** resnet50 at batch 8 takes 20 ms alone; everything else is unknown. */
    private static final LatencyFloor FLOOR = new LatencyFloor() {
        @Override
        public OptionalDouble soloMs(String model, int batch) {
            return model.equals("resnet50") ? OptionalDouble.of(20.0 * batch / 8) : OptionalDouble.empty();
        }

        @Override
        public boolean knows(String model) {
            return model.equals("resnet50");
        }
    };

    private static final String SERVICE = """
            services:
              - name: web
                slo_p99_ms: 100
                allowed_users: [alice]
                model: resnet50
                nominal_load: {requests_per_second: 10, batch: 8}
                memory_mib: 2048
            """;

    static List<Problem> problems(String yaml) {
        LoadResult r = new PolicyLoader(FLOOR).parse("p.yaml", yaml.getBytes(StandardCharsets.UTF_8));
        return assertInstanceOf(LoadResult.Invalid.class, r, "expected problems in:\n" + yaml).problems();
    }

    static Policy valid(String yaml) {
        LoadResult r = new PolicyLoader(FLOOR).parse("p.yaml", yaml.getBytes(StandardCharsets.UTF_8));
        if (r instanceof LoadResult.Invalid i) {
            throw new AssertionError("unexpected problems: " + i.problems());
        }
        return ((LoadResult.Valid) r).loaded().policy();
    }

    static Stream<Arguments> oneProblem() {
        return Stream.of(
                Arguments.of("unknown key with suggestion", "limits:\n  max_guest_per_gpu: 3\n",
                        "p.yaml:2:3: unknown key 'limits.max_guest_per_gpu' (did you mean 'max_guests_per_gpu'?)"),
                Arguments.of("unknown section", "margin:\n  slo_margin: 0.2\n",
                        "p.yaml:1:1: unknown key 'margin' (did you mean 'margins'?)"),
                Arguments.of("unknown key, nothing close", "zebra: 1\n", "p.yaml:1:1: unknown key 'zebra'; expected one of admitd, colocation, controller, eviction, failure, limits, margins, noded, placement, services, slurm"),
                Arguments.of("wrong type: string for number", "margins:\n  slo_margin: lots\n",
                        "p.yaml:2:15: margins.slo_margin: expected a number, got a string 'lots'"),
                Arguments.of("wrong type: fraction for whole number", "admitd:\n  port: 68.5\n",
                        "p.yaml:2:9: admitd.port: expected a whole number, got a number '68.5'"),
                Arguments.of("wrong type: list for scalar", "limits:\n  max_guests_per_gpu: [1, 2]\n",
                        "p.yaml:2:23: limits.max_guests_per_gpu: expected a whole number, got a list"),
                Arguments.of("wrong type: scalar for section", "limits: 4\n",
                        "p.yaml:1:9: limits: expected a mapping of keys, got a number '4'"),
                Arguments.of("boolean where a name is expected", "colocation:\n  partitions: [gpu, no]\n",
                        "p.yaml:2:21: colocation.partitions[1]: expected a name (letters, digits, '.', '_', '-'), "
                                + "got a boolean (quote it: 'no')"),
                Arguments.of("out of range", "limits:\n  training_share_max_percent: 120\n",
                        "p.yaml:2:31: limits.training_share_max_percent: 120 is out of range: must be 1..100"),
                Arguments.of("out of range fraction", "margins:\n  slo_margin: 1.5\n",
                        "p.yaml:2:15: margins.slo_margin: 1.5 is out of range: must be in [0.0, 0.9]"),
                Arguments.of("infinite number", "controller:\n  gain: .inf\n",
                        "p.yaml:2:9: controller.gain: expected a finite decimal number, got a number '.inf'"),
                Arguments.of("share min above max", "limits:\n  training_share_min_percent: 60\n"
                                + "  training_share_max_percent: 50\n",
                        "p.yaml:2:31: limits.training_share_min_percent: training_share_min_percent 60 is above "
                                + "training_share_max_percent 50"),
                Arguments.of("outer period under 25 inner periods", "controller:\n  outer_period_ms: 10000\n",
                        "p.yaml:2:20: controller.outer_period_ms: outer_period_ms 10000 ms is shorter than 25 inner "
                                + "periods of 500 ms"),
                Arguments.of("gain outside its bounds", "controller:\n  gain: 5.0\n",
                        "p.yaml:2:9: controller.gain: gain 5 is outside [gain_min, gain_max] = [0.25, 4]"),
                Arguments.of("stop lease shorter than inner period", "controller:\n  stop_lease_ms: 400\n",
                        "p.yaml:2:18: controller.stop_lease_ms: stop_lease_ms 400 ms is shorter than the inner period "
                                + "of 500 ms: every stop would expire before the controller renews it"),
                Arguments.of("unknown plugin", "placement:\n  plugin: firstfit\n",
                        "p.yaml:2:11: placement.plugin: 'firstfit' is not one of headroom, first-fit, dedicated, "
                                + "static-share (did you mean 'first-fit'?)"),
                Arguments.of("static share outside share bounds", "placement:\n  plugin: static-share\n"
                                + "  static_share_percent: 95\n",
                        "p.yaml:3:25: placement.static_share_percent: 95 is outside the training share bounds 10..90 "
                                + "(limits.training_share_min_percent, limits.training_share_max_percent)"),
                Arguments.of("eviction action twice", "eviction:\n  order: [suspend, throttle, suspend]\n",
                        "p.yaml:2:30: eviction.order: 'suspend' is listed twice"),
                Arguments.of("unknown eviction action", "eviction:\n  order: [throttle, kill]\n",
                        "p.yaml:2:21: eviction.order: 'kill' is not one of throttle, suspend, requeue"),
                Arguments.of("fail mode", "failure:\n  admitd:\n    mode: half-open\n",
                        "p.yaml:3:11: failure.admitd.mode: 'half-open' is not one of open, closed"),
                Arguments.of("admitd off loopback", "admitd:\n  listen_address: 0.0.0.0\n",
                        "p.yaml:2:19: admitd.listen_address: '0.0.0.0' is not a loopback address "
                                + "(127.0.0.1, ::1 or localhost)"),
                Arguments.of("database URL", "admitd:\n  database_url: postgres://x/y\n",
                        "p.yaml:2:17: admitd.database_url: 'postgres://x/y' is not a JDBC URL (jdbc:...)"),
                Arguments.of("no value", "margins:\n  slo_margin:\n",
                        "p.yaml:2:14: margins.slo_margin: expected a number, got no value"),
                Arguments.of("duplicate key", "limits:\n  max_guests_per_gpu: 2\n  max_guests_per_gpu: 3\n",
                        "p.yaml:3:3: duplicate key 'limits.max_guests_per_gpu' (first at line 2)"),
                Arguments.of("merge key", "base: &b {gain: 1.0}\ncontroller:\n  <<: *b\n",
                        "p.yaml:1:1: unknown key 'base'; expected one of admitd, colocation, controller, eviction, failure, limits, margins, noded, placement, services, slurm"),
                Arguments.of("overlapping Slurm markers", "slurm:\n  training_comment: \"gpucolo:service=train\"\n",
                        "p.yaml:2:21: slurm.training_comment: 'gpucolo:service=train' and service_prefix "
                                + "'gpucolo:service=' overlap: one is a prefix of the other, so a job could not be told apart"),
                Arguments.of("not a mapping", "- a\n- b\n",
                        "p.yaml:1:1: a policy file is a mapping of sections (services:, limits:, ...), not a list"),
                Arguments.of("syntax error", "limits:\n  max_guests_per_gpu: [1, 2\n",
                        "p.yaml:3:1: YAML syntax error: while parsing a flow sequence: expected ',' or ']', but got "
                                + "<stream end>"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneProblem")
    void reportsEachProblemWhereItIs(String what, String yaml, String expected) {
        List<Problem> p = problems(yaml);
        assertEquals(expected, p.get(0).toString(), "all: " + p);
    }

    @Test
    void aPolicyThatSetsOnlyTheInnerPeriodGetsDefaultsThatKeepTheirTimes() {
        Policy.Controller d = Policy.Controller.DEFAULTS;                 // 500 ms: give back after 3 s, ...
        Policy.Controller c = valid("controller:\n  inner_period_ms: 1000\n").controller();
        assertEquals(java.time.Duration.ofSeconds(1), c.innerPeriod());
        assertEquals(3, c.raiseAfterPeriods(), "give back after the same 3 s");
        assertEquals(60, c.maxWaitPeriods(), "probe again after at most the same 60 s");
        assertEquals(10, c.outerTriggerPeriods(), "the outer tier after the same 10-s run");
        assertEquals(0.1, c.raiseStep(), 1e-12, "0.1 duty a second, as before");
        assertEquals(0.95, c.forgetting(), 1e-12, "0.95 a second");
        assertEquals(d.outerPeriod(), c.outerPeriod());
        assertEquals(d.stopLease(), c.stopLease());
        assertEquals(d.gain(), c.gain());
        Policy.Controller written = valid("controller:\n  inner_period_ms: 1000\n  raise_after_periods: 7\n  forgetting: 0.9\n")
                .controller();
        assertEquals(7, written.raiseAfterPeriods(), "a count the policy writes is taken as written");
        assertEquals(0.9, written.forgetting(), 1e-12);
        assertEquals(60, written.maxWaitPeriods());
        Policy.Controller slow = valid("controller:\n  inner_period_ms: 2000\n").controller();
        assertEquals(java.time.Duration.ofSeconds(50), slow.outerPeriod(), "the outer period stays 25 inner periods");
        assertEquals(java.time.Duration.ofSeconds(4), slow.stopLease(), "the lease stays two inner periods");
        List<Problem> tooShort = problems("controller:\n  inner_period_ms: 2000\n  outer_period_ms: 30000\n");
        assertEquals(1, tooShort.size(), tooShort.toString());
        assertTrue(tooShort.get(0).toString().contains("outer_period_ms 30000 ms is shorter than 25 inner periods of 2000 ms"),
                "an outer period the policy writes is still judged against the period: " + tooShort);
    }

    @Test
    void mergeKeysAreRefusedWithTheirOwnMessage() {
        List<Problem> p = problems("controller: &c {gain: 1.0}\nlimits:\n  <<: *c\n");
        assertEquals("p.yaml:3:3: merge keys (<<) are not supported in a policy file", p.get(0).toString());
    }

    @Test
    void reportsEveryProblemInOnePass() {
        List<Problem> p = problems("""
                limits:
                  max_guest_per_gpu: 3
                  training_share_max_percent: 120
                placement:
                  plugin: nope
                controller:
                  gain: x
                """);
        assertEquals(List.of("p.yaml:2:3", "p.yaml:3:31", "p.yaml:5:11", "p.yaml:7:9"),
                p.stream().map(x -> x.file() + ":" + x.line() + ":" + x.column()).toList());
    }

    @Test
    void sloBelowTheSoloLatencyIsAContradiction() {
        List<Problem> p = problems(SERVICE.replace("slo_p99_ms: 100", "slo_p99_ms: 15"));
        assertEquals("p.yaml:3:17: services[0].slo_p99_ms: 15 ms is below the solo latency of model resnet50 at batch 8 "
                + "(20.000 ms alone on the fastest GPU): no placement can meet it", p.get(0).toString());
    }

    @Test
    void sloThatTheMarginPushesBelowTheFloorIsAContradiction() {
        List<Problem> p = problems(SERVICE.replace("slo_p99_ms: 100", "slo_p99_ms: 21"));
        assertEquals("p.yaml:3:17: services[0].slo_p99_ms: 21 ms less the 10% SLO margin leaves 18.900 ms, below the "
                + "solo latency of model resnet50 at batch 8 (20.000 ms): no placement can meet it", p.get(0).toString());
    }

    @Test
    void aValueThatIsWrongIsNotAlsoJudgedAgainstOtherKeys() {
        assertEquals(List.of("p.yaml:3:17: services[0].slo_p99_ms: expected a number, got a string 'fast'"),
                problems(SERVICE.replace("slo_p99_ms: 100", "slo_p99_ms: fast")).stream().map(Problem::toString).toList());
        assertEquals(List.of("p.yaml:3:31: limits.training_share_max_percent: 120 is out of range: must be 1..100"),
                problems("limits:\n  training_share_min_percent: 95\n  training_share_max_percent: 120\n").stream()
                        .map(Problem::toString).toList());
        assertEquals(List.of("p.yaml:2:20: controller.inner_period_ms: 0 is out of range: must be 10..60000"),
                problems("controller:\n  inner_period_ms: 0\n").stream().map(Problem::toString).toList());
    }

    @Test
    void unknownModelIsReported() {
        List<Problem> p = problems(SERVICE.replace("model: resnet50", "model: resnet5O"));
        assertEquals("p.yaml:5:12: services[0].model: no latency profile for model 'resnet5O'", p.get(0).toString());
    }

    @Test
    void missingRequiredKeysOfAServiceAreListedOncePerKey() {
        List<Problem> p = problems("services:\n  - name: web\n    model: resnet50\n");
        assertEquals(List.of("p.yaml:2:5: services[0]: missing required key 'slo_p99_ms'",
                "p.yaml:2:5: services[0]: missing required key 'nominal_load'",
                "p.yaml:2:5: services[0]: missing required key 'memory_mib'"), p.stream().map(Problem::toString).toList());
    }

    @Test
    void duplicateServiceNames() {
        List<Problem> p = problems(SERVICE + SERVICE.substring("services:\n".length()));
        assertEquals("p.yaml:8:11: services[1].name: service 'web' is already declared by services[0]", p.get(0).toString());
    }

    @Test
    void realLatencyModelRefusesAnSloBelowResnet50sSoloLatency() {
        CalibratedLatencyModel model = CalibratedLatencyModel.builtIn();
        double solo = model.soloBatchLatencyMs("resnet50", "A100", 8);
        LatencyFloor floor = LatencyFloor.of(model, List.of("A100", "V100"));
        String tooLow = SERVICE.replace("slo_p99_ms: 100", "slo_p99_ms: " + solo / 2);
        LoadResult r = new PolicyLoader(floor).parse("p.yaml", tooLow.getBytes(StandardCharsets.UTF_8));
        Problem p = assertInstanceOf(LoadResult.Invalid.class, r).problems().get(0);
        assertEquals(3, p.line());
        assertTrue(p.message().contains("below the solo latency of model resnet50"), p.message());
        String fine = SERVICE.replace("slo_p99_ms: 100", "slo_p99_ms: " + solo * 3);
        assertInstanceOf(LoadResult.Valid.class, new PolicyLoader(floor).parse("p.yaml", fine.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void validFileGivesEveryValue() {
        Policy p = valid(SERVICE + """
                colocation:
                  partitions: [gpu, "train-1"]
                  qos: [colocate]
                placement:
                  plugin: static-share
                  static_share_percent: 40
                margins: {slo_margin: 0.2, burst_margin: 0.5, forecast_horizon_s: 60, history_window_s: 3600}
                limits: {max_guests_per_gpu: 3, training_share_min_percent: 5, training_share_max_percent: 80}
                eviction: {order: [requeue, throttle], escalate_after_s: 5}
                controller: {inner_period_ms: 500, outer_period_ms: 12500, stop_lease_ms: 1500, gain: 1.0}
                failure:
                  admitd: {mode: closed, deadline_ms: 20}
                admitd: {port: 7000, database_url: "jdbc:postgresql://db/gpucolo", database_user: gpucolo}
                slurm: {training_qos: colocate, dedicated_partition: train}
                """);
        assertEquals("web", p.services().get(0).name());
        assertEquals(100, p.services().get(0).sloP99Ms());
        assertEquals(8, p.services().get(0).nominalLoad().batch());
        assertTrue(p.colocation().permits("train-1", "colocate", "any"));
        assertTrue(!p.colocation().permits("cpu", "colocate", "any"));
        assertEquals(PlacementPlugin.STATIC_SHARE, p.placement().plugin());
        assertEquals(40, p.placement().staticSharePercent());
        assertEquals(new Policy.Margins(0.2, 0.5, Duration.ofMinutes(1), Duration.ofHours(1)), p.margins());
        assertEquals(new Policy.Limits(3, 5, 80, 1024, 512), p.limits());
        assertEquals(List.of(EvictionAction.REQUEUE, EvictionAction.THROTTLE), p.eviction().order());
        assertEquals(Duration.ofMillis(500), p.controller().innerPeriod());
        assertEquals(1.0, p.controller().gain());
        assertEquals(FailMode.CLOSED, p.failure().admitd().mode());
        assertEquals(Duration.ofMillis(20), p.failure().admitd().deadline());
        assertEquals(Policy.FailureModes.DEFAULTS.noded(), p.failure().noded());
        assertEquals("jdbc:postgresql://db/gpucolo", p.admitd().databaseUrl());
        assertEquals(7000, p.admitd().port());
        assertEquals("train", p.slurm().dedicatedPartition());
    }

    @Test
    void headersWithEveryKeyCommentedOutMeanDefaults() {
        Policy p = valid(SERVICE + "limits:\n  #max_guests_per_gpu: 2\ncontroller:\n");
        assertEquals(Policy.defaults().withServices(p.services()), p);
    }

    @Test
    void versionIsTheHashOfTheBytes() {
        LoadResult a = new PolicyLoader(FLOOR).parse("a", SERVICE.getBytes(StandardCharsets.UTF_8));
        LoadResult b = new PolicyLoader(FLOOR).parse("b", (SERVICE + "# comment\n").getBytes(StandardCharsets.UTF_8));
        String va = ((LoadResult.Valid) a).loaded().version();
        String vb = ((LoadResult.Valid) b).loaded().version();
        assertEquals(12, va.length());
        assertTrue(!va.equals(vb));
    }
}
