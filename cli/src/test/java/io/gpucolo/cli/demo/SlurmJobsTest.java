package io.gpucolo.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SlurmJobsTest {
    @Test
    void parsesSqueueLinesAndTheTypedGpu() {
        String out = """
                12|svc-vision|RUNNING|None|gres:gpu:g0:1
                13|train-1|RUNNING|None|gres:mps:g2:30
                14|train-2|PENDING|JobHeldUser|gres:mps:30
                not a job line
                15|plain|PENDING|Resources|N/A
                """;
        List<SlurmJobs.Job> jobs = SlurmJobs.parse(out);
        assertEquals(4, jobs.size());
        assertEquals(0, jobs.get(0).gpu());
        assertEquals(2, jobs.get(1).gpu());
        assertEquals(-1, jobs.get(2).gpu());
        assertTrue(jobs.get(2).deferred());
        assertFalse(jobs.get(3).deferred(), "waiting for resources is not a gpucolo deferral");
    }

    @Test
    void placementComparesAdmitdsChoiceWithSlurmsGresIndex() {
        String show = """
                JobId=13 JobName=train-1
                   Comment=gpucolo:colocate share=30 mem=2G AdminComment=gpucolo:train id=d-7 gpu=vm:g2 share=30 mem=2048
                   NodeList=vm
                     Nodes=vm CPU_IDs=0 Mem=100 GRES=mps:g2:30(IDX:2)
                """;
        SlurmJobs.Placed p = SlurmJobs.parsePlacement(show).orElseThrow();
        assertEquals(new SlurmJobs.Placed("vm:g2", 2, 2), p);
        assertTrue(p.asChosen());
        assertFalse(SlurmJobs.parsePlacement(show.replace("(IDX:2)", "(IDX:1)")).orElseThrow().asChosen());
        assertTrue(SlurmJobs.parsePlacement("JobId=1 AdminComment=(null)").isEmpty());
    }
}
