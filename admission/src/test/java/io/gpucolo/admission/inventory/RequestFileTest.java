package io.gpucolo.admission.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gpucolo.admission.model.TrainingRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestFileTest {
    @Test
    void readsARequestWithDefaults() {
        TrainingRequest r = RequestFile.parse("owner: alice\nshare_percent: 30\nmemory_mib: 8192\nrestartable: true\n"
                + "partition: gpu\n", "r.yaml");
        assertEquals(new TrainingRequest("dry-run", "alice", 30, 8192, Duration.ofHours(1), true, "gpu", "", ""), r);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'owner: a\nshare_percent: -5\nmemory_mib: 10\n'    | r.yaml:2:16: share_percent: -5 is out of range: must be 1..100",
            "'owner: a\nshare_percent: 101\nmemory_mib: 10\n'   | r.yaml:2:16: share_percent: 101 is out of range: must be 1..100",
            "'owner: a\nshare_percent: 10\nmemory_mib: 0\n'     | r.yaml:3:13: memory_mib: 0 is out of range: must be 1..16777216",
            "'owner: a\nshare_percent: ten\nmemory_mib: 10\n'   | r.yaml:2:16: share_percent: expected a whole number, got a string 'ten'",
            "'share_percent: 10\nmemory_mib: 10\n'              | r.yaml:1:1: missing required key 'owner'",
            "'owner: a\nshare_percent: 10\nmemory_mib: 10\ngpus: 2\n' | r.yaml:4:1: unknown key 'gpus'; expected one of account, duration_s, job, memory_mib, owner, partition, qos, restartable, share_percent",
            "'owner: \"a b\"\nshare_percent: 10\nmemory_mib: 10\n' | r.yaml:1:8: owner: 'a b' is not a user name",
    })
    void impossibleRequestsAreRefusedClearly(String text, String expected) {
        var e = assertThrows(InventoryException.class, () -> RequestFile.parse(text, "r.yaml"));
        assertEquals(List.of(expected.strip()), e.problems());
    }
}
