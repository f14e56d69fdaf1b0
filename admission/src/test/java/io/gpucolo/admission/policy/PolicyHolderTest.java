package io.gpucolo.admission.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A daemon's policy survives a bad reload and takes a good one. */
class PolicyHolderTest {
    @TempDir
    Path dir;

    @Test
    void keepsTheLastGoodPolicyWhenAReloadFails() throws IOException {
        Path file = dir.resolve("gpucolo.yaml");
        Files.writeString(file, "limits:\n  max_guests_per_gpu: 3\n");
        PolicyLoader loader = new PolicyLoader(LatencyFloor.NONE);
        LoadedPolicy first = ((LoadResult.Valid) loader.load(file)).loaded();
        PolicyHolder holder = new PolicyHolder(file, loader, first);

        Files.writeString(file, "limits:\n  max_guests_per_gpu: 300\n");
        PolicyHolder.Reload bad = holder.reload();
        PolicyHolder.Reload.Kept kept = assertInstanceOf(PolicyHolder.Reload.Kept.class, bad);
        assertSame(first, holder.current());
        assertEquals(3, holder.current().policy().limits().maxGuestsPerGpu());
        assertEquals(file + ":2:23: limits.max_guests_per_gpu: 300 is out of range: must be 1..48",
                kept.problems().get(0).toString());
        assertEquals(kept.problems(), holder.lastProblems());
        assertTrue(bad.describe().startsWith("policy reload refused, keeping version " + first.version()), bad.describe());

        Files.delete(file);
        assertInstanceOf(PolicyHolder.Reload.Kept.class, holder.reload());
        assertSame(first, holder.current());

        Files.writeString(file, "limits:\n  max_guests_per_gpu: 3\n");
        assertInstanceOf(PolicyHolder.Reload.Unchanged.class, holder.reload());
        assertTrue(holder.lastProblems().isEmpty());

        Files.writeString(file, "limits:\n  max_guests_per_gpu: 4\n");
        PolicyHolder.Reload.Applied applied = assertInstanceOf(PolicyHolder.Reload.Applied.class, holder.reload());
        assertEquals(4, holder.current().policy().limits().maxGuestsPerGpu());
        assertSame(first, applied.previous());
        assertSame(applied.now(), holder.current());
    }
}
