package io.gpucolo.node.noded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpucolo.admission.policy.Policy;
import io.gpucolo.node.law.AdaptiveDutyLaw;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LawTuningTest {
    @Test
    void anEmptyPolicyTunesTheLawsAsTheirOwnDefaults() {
        LawTuning fromPolicy = LawTuning.from(Policy.Controller.DEFAULTS, Policy.Limits.DEFAULTS);
        LawTuning own = LawTuning.defaults();
        assertEquals(own.inner(), fromPolicy.inner());
        assertEquals(own.outerPeriod(), fromPolicy.outerPeriod());
        assertEquals(own.persist(), fromPolicy.persist());
        assertEquals(own.shareGain(), fromPolicy.shareGain());
        assertEquals(own.deadBand(), fromPolicy.deadBand());
        assertEquals(own.roomSlack(), fromPolicy.roomSlack());
        // the share bounds come from the policy's limits, which admission also enforces
        assertEquals(Policy.Limits.DEFAULTS.trainingShareMinPercent(), fromPolicy.minShare());
        assertEquals(Policy.Limits.DEFAULTS.trainingShareMaxPercent(), fromPolicy.maxShare());
    }

    @Test
    void aPolicyAtAnotherPeriodTunesTheLawsAsTheirOwnDefaultsAtThatPeriod() {
        for (long ms : new long[] {250, 1000, 2000}) {
            Duration p = Duration.ofMillis(ms);
            LawTuning fromPolicy = LawTuning.from(Policy.Controller.DEFAULTS.atInnerPeriod(p), Policy.Limits.DEFAULTS);
            LawTuning own = LawTuning.defaultsFor(p);
            assertEquals(own.inner().raiseAfter(), fromPolicy.inner().raiseAfter(), ms + " ms");
            assertEquals(own.inner().maxWait(), fromPolicy.inner().maxWait(), ms + " ms");
            assertEquals(own.inner().raiseStep(), fromPolicy.inner().raiseStep(), 1e-12);
            assertEquals(own.inner().forgetting(), fromPolicy.inner().forgetting(), 1e-12);
            assertEquals(own.persist(), fromPolicy.persist(), ms + " ms");
        }
    }

    @Test
    void rescaledToAHalfSecondPeriodKeepsTheTimesOfTheOneSecondDefaults() {
        LawTuning d = LawTuning.defaultsFor(Duration.ofSeconds(1));
        LawTuning half = d.rescaled(Duration.ofSeconds(1), Duration.ofMillis(500));
        assertEquals(LawTuning.defaults(), half, "noded's default: the 1-s settings at 500 ms");
        assertEquals(2 * d.inner().raiseAfter(), half.inner().raiseAfter());      // give back after the same 3 s
        assertEquals(2 * d.inner().maxWait(), half.inner().maxWait());            // probe again after at most 60 s
        assertEquals(d.inner().raiseStep() / 2, half.inner().raiseStep(), 1e-12); // 0.1 duty per second
        assertEquals(2 * d.persist(), half.persist());                            // the outer tier's 10 s run
        assertEquals(d.inner().forgetting(), Math.pow(half.inner().forgetting(), 2), 1e-12);
        assertEquals(d.inner().surgeRatio(), half.inner().surgeRatio());          // per window: unchanged
        assertEquals(d.inner().floor(), half.inner().floor());
        assertEquals(d.inner(), d.rescaled(Duration.ofSeconds(1), Duration.ofSeconds(1)).inner());
    }

    @Test
    void nodedTakesThePolicysControllerAndNodedSectionsAndOptionsOverrideThem(@TempDir Path dir) throws Exception {
        Path policy = dir.resolve("p.yaml");
        Files.writeString(policy, """
                controller:
                  inner_period_ms: 500
                  outer_period_ms: 20000
                  stop_lease_ms: 1500
                  slack_target: 0.3
                  room_slack: 0.4
                  raise_after_periods: 5
                  surge_sigmas: 3
                limits: {training_share_min_percent: 20, training_share_max_percent: 70}
                noded: {control_socket: /run/x/noded.sock, metrics_port: 0}
                """);
        NodedCommand cmd = new NodedCommand();
        new CommandLine(cmd).parseArgs("--policy", policy.toString(), "--max-lease-ms", "4000");
        Noded.Config c = cmd.config();
        assertEquals(Duration.ofMillis(500), c.period());
        assertEquals(Duration.ofMillis(4000), c.maxLease(), "the option overrides the policy");
        assertEquals(Path.of("/run/x/noded.sock"), c.socket());
        assertEquals(-1, c.metricsPort(), "0 in the policy turns metrics off");
        AdaptiveDutyLaw.Config inner = c.tuning().inner();
        assertEquals(0.3, inner.slackTarget());
        assertEquals(5, inner.raiseAfter());
        assertEquals(3.0, inner.surgeZ());
        assertEquals(0.4, c.tuning().roomSlack());
        assertEquals(20, c.tuning().minShare());
        assertEquals(70, c.tuning().maxShare());
        assertEquals(Duration.ofSeconds(20), c.tuning().outerPeriod());
    }

    @Test
    void withoutAPolicyNodedRunsOnTheLawsDefaults() {
        NodedCommand cmd = new NodedCommand();
        new CommandLine(cmd).parseArgs();
        Noded.Config c = cmd.config();
        assertEquals(Duration.ofMillis(500), c.period());
        assertEquals(Duration.ofSeconds(2), c.maxLease());
        assertEquals(NodedClient.DEFAULT_SOCKET, c.socket());
        assertEquals(LawTuning.defaults(), c.tuning());
    }

    @Test
    void aBadPolicyIsRefusedWithEveryProblemWhereItIs(@TempDir Path dir) throws Exception {
        Path policy = dir.resolve("p.yaml");
        Files.writeString(policy, "controller:\n  slack_target: 2\n  raise_step: 0\n");
        NodedCommand cmd = new NodedCommand();
        new CommandLine(cmd).parseArgs("--policy", policy.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, cmd::config);
        assertTrue(e.getMessage().contains(policy + ":2:17: controller.slack_target: 2 is out of range"), e.getMessage());
        assertTrue(e.getMessage().contains(policy + ":3:15: controller.raise_step: 0 is out of range"), e.getMessage());
    }

    @Test
    void theOuterPeriodIsAtLeast25InnerPeriods() {
        LawTuning t = LawTuning.defaults();
        assertThrows(IllegalArgumentException.class, () -> new LawTuning(t.inner(), t.outerPeriod(), 0, 1, 0, 0.3, 5, 100));
        // 25 s of policy at a 2 s inner period becomes 50 s: the law refuses anything shorter
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> t.outer(Duration.ofSeconds(2), 100));
    }
}
