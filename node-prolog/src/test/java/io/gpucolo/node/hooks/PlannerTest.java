package io.gpucolo.node.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PlannerTest {
    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>(Map.of("SLURM_JOB_ID", "42", "SLURM_JOB_UID", "1001", "SLURM_JOB_USER", "alice",
                "SLURMD_NODENAME", "vm", "SLURM_JOB_GPUS", "2", "CUDA_VISIBLE_DEVICES", "2"));
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                m.remove(kv[i]);
            } else {
                m.put(kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    private static final Optional<String> TRAIN = Optional.of("gpucolo:train id=d7 gpu=vm:g2 share=30 mem=8192");

    @Test
    void aTrainingDecisionOnAFreeGpuJoinsMps() {
        Plan p = Planner.prolog(SlurmJob.fromEnv(env()), TRAIN, Map.of());
        Plan.Colocate c = (Plan.Colocate) p;
        assertEquals(2, c.gpu());
        assertTrue(c.mps());
        assertEquals(new JobFile("42", 1001, 2, Decision.Role.TRAINING, 30, 8192, true, null), c.jobFile());
        assertEquals(List.of(), c.warnings());
    }

    @Test
    void theSameUsersJobsShareTheServerAnotherUsersRunsTimeSliced() {
        assertTrue(((Plan.Colocate) Planner.prolog(SlurmJob.fromEnv(env()), TRAIN, Map.of("40", 1001L))).mps());
        Plan.Colocate c = (Plan.Colocate) Planner.prolog(SlurmJob.fromEnv(env()), TRAIN, Map.of("40", 1002L));
        assertFalse(c.mps());
        assertTrue(c.warnings().get(0).contains("serves uid 1002 (job 40)"), c.warnings().toString());
        // its own earlier registration (a re-run prolog) does not count as another user
        assertTrue(((Plan.Colocate) Planner.prolog(SlurmJob.fromEnv(env()), TRAIN, Map.of("42", 1001L))).mps());
    }

    @Test
    void slurmsAllocationWinsOverTheDecisionsGpu() {
        Plan.Colocate c = (Plan.Colocate) Planner.prolog(SlurmJob.fromEnv(env("SLURM_JOB_GPUS", "3")), TRAIN, Map.of());
        assertEquals(3, c.gpu());
        assertTrue(c.warnings().get(0).contains("decision names GPU 2 but Slurm allocated [3]"));
    }

    @Test
    void aServiceDecisionRunsAtFullShare() {
        Plan.Colocate c = (Plan.Colocate) Planner.prolog(SlurmJob.fromEnv(env()),
                Optional.of("gpucolo:service id=d1 gpu=vm:g2 name=resnet50"), Map.of());
        assertEquals(Decision.Role.INFERENCE, c.decision().role());
        assertEquals(100, c.decision().share());
        assertEquals("resnet50", c.decision().service());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "gpucolo:whole gpu=vm:g1",
        "gpucolo:fail-open admitd%20down",
        "gpucolo:defer id=d3 share=30 mem=100",
        "someone else's note",
    })
    void otherAdminCommentsAreNotCoLocation(String comment) {
        assertTrue(Planner.prolog(SlurmJob.fromEnv(env()), Optional.of(comment), Map.of()) instanceof Plan.Skip);
    }

    @Test
    void noAdminCommentIsSkip() {
        assertTrue(Planner.prolog(SlurmJob.fromEnv(env()), Optional.empty(), Map.of()) instanceof Plan.Skip);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "gpucolo:train id=d7 gpu=vm:g2 share=300 mem=8192 | share=300 out of 1..100",
        "gpucolo:train id=d7 gpu=vm:g2 share=30           | no mem=",
        "gpucolo:train id=d7 gpu=vm2 share=30 mem=1       | invalid GPU id 'vm2'",
        "gpucolo:train id=d7 gpu=vm:g2 share=x mem=1      | share='x' is not a whole number",
        "gpucolo:train id=d7 oops gpu=vm:g2               | word 3 'oops' is not key=value",
        "gpucolo:service id=d1 gpu=vm:g2                  | service needs name=NAME",
    })
    void garbledDecisionsAreRefusedWithTheReason(String comment, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Planner.prolog(SlurmJob.fromEnv(env()), Optional.of(comment), Map.of()));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SLURM_JOB_ID    |        | SLURM_JOB_ID is not set",
        "SLURM_JOB_ID    | 12x    | SLURM_JOB_ID='12x' is not a job id",
        "SLURM_JOB_UID   | alice  | SLURM_JOB_UID='alice' is not a number",
        "SLURM_JOB_GPUS  | 2,gpu3 | SLURM_JOB_GPUS='2,gpu3': expected GPU indices",
        "SLURMD_NODENAME | a b    | SLURMD_NODENAME='a b' is not a node name",
    })
    void garbledSlurmVariablesNameTheVariable(String var, String value, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SlurmJob.fromEnv(env(var, value)));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void aMissingUidIsRefusedOnlyForCoLocatedJobs() {
        SlurmJob job = SlurmJob.fromEnv(env("SLURM_JOB_UID", null));
        assertTrue(Planner.prolog(job, Optional.empty(), Map.of()) instanceof Plan.Skip);
        assertThrows(IllegalArgumentException.class, () -> Planner.prolog(job, TRAIN, Map.of()));
    }

    @Test
    void taskExportsUnderMpsAndTimeSliced() {
        HookConfig cfg = HookConfig.defaults();
        JobFile mps = new JobFile("42", 1001, 2, Decision.Role.TRAINING, 30, 8192, true, null);
        assertEquals(List.of("export CUDA_VISIBLE_DEVICES=0", "export CUDA_MPS_PIPE_DIRECTORY=/run/gpucolo/mps/g2",
                "export CUDA_MPS_LOG_DIRECTORY=/var/log/gpucolo/mps/g2", "export CUDA_MPS_ACTIVE_THREAD_PERCENTAGE=30",
                "export CUDA_MPS_PINNED_DEVICE_MEM_LIMIT=0=8192M",
                "export GPUCOLO_LAUNCHER_SOCKET=/run/gpucolo/launcher/42/launcher.sock", "export GPUCOLO_GPU=2"),
                TaskExports.lines(mps, cfg));
        JobFile sliced = new JobFile("43", 1002, 2, Decision.Role.TRAINING, 30, 8192, false, null);
        assertEquals(List.of("export CUDA_VISIBLE_DEVICES=2", "export CUDA_MPS_PIPE_DIRECTORY=/run/gpucolo/nomps/43",
                "export GPUCOLO_LAUNCHER_SOCKET=/run/gpucolo/launcher/43/launcher.sock", "export GPUCOLO_GPU=2"),
                TaskExports.lines(sliced, cfg));
    }

    @Test
    void adminCommentFromScontrolOutput() {
        String line = "JobId=42 JobName=wrap UserId=alice(1001) Priority=1 AdminComment=gpucolo:train id=d7 gpu=vm:g2 share=30 mem=8192 Comment=gpucolo:colocate share=30 TRES=cpu=1";
        assertEquals(Optional.of("gpucolo:train id=d7 gpu=vm:g2 share=30 mem=8192"), Slurm.parseAdminComment(line));
        assertEquals(Optional.empty(), Slurm.parseAdminComment("JobId=42 AdminComment=(null) Comment=x"));
        assertEquals(Optional.empty(), Slurm.parseAdminComment("JobId=42 Comment=x"));
    }

    @Test
    void configFileErrorsNameFileLineAndColumn() throws Exception {
        Path f = java.nio.file.Files.createTempFile("node", ".conf");
        try {
            java.nio.file.Files.writeString(f, "# node\nstate_dir = /tmp/x\n  bogus = 1\n");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HookConfig.read(f, true));
            assertTrue(e.getMessage().startsWith(f + ":3:3: unknown key 'bogus'"), e.getMessage());
            java.nio.file.Files.writeString(f, "mps_control = bin/mps\n");
            e = assertThrows(IllegalArgumentException.class, () -> HookConfig.read(f, true));
            assertTrue(e.getMessage().contains("path must be absolute: bin/mps"), e.getMessage());
        } finally {
            java.nio.file.Files.delete(f);
        }
    }
}
