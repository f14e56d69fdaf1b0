package io.gpucolo.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes found through the real /proc: a lab's own by its marker, a foreign Slurm by its name. */
class LabProcessesTest {
    @TempDir
    Path tmp;

    private Process sleeper(Path exe, Path markerLab) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(exe.toString(), "60");
        pb.environment().remove(LabProcesses.MARKER);
        if (markerLab != null) {
            pb.environment().put(LabProcesses.MARKER, markerLab.toString());
        }
        Process p = pb.start();
        Thread.sleep(100);
        return p;
    }

    @Test
    void findsAndStopsOnlyTheProcessesOfItsOwnLab() throws Exception {
        Path lab = tmp.resolve("lab");
        Process mine = sleeper(Path.of("/bin/sleep"), lab);
        Process other = sleeper(Path.of("/bin/sleep"), tmp.resolve("another-lab"));
        try {
            LabProcesses procs = new LabProcesses();
            List<LabProcesses.Found> found = procs.ofLab(lab);
            assertEquals(List.of(mine.pid()), found.stream().map(LabProcesses.Found::pid).toList());
            assertEquals(List.of(), LabProcesses.stop(found, Duration.ofSeconds(2)));
            assertTrue(mine.waitFor(2, TimeUnit.SECONDS), "the lab's process is stopped");
            assertTrue(other.isAlive(), "another lab's process is left alone");
            assertEquals(List.of(), procs.ofLab(lab));
        } finally {
            mine.destroyForcibly();
            other.destroyForcibly();
        }
    }

    @Test
    void aSlurmDaemonWithoutThisLabsMarkerIsForeign() throws Exception {
        Path fake = tmp.resolve("slurmd");          // a real process whose command name is slurmd
        Files.copy(Path.of("/bin/sleep"), fake);
        fake.toFile().setExecutable(true);
        Path lab = tmp.resolve("lab");
        Process foreign = sleeper(fake, null);
        Process ours = sleeper(fake, lab);
        try {
            List<Long> pids = new LabProcesses().foreignSlurm(lab).stream().map(LabProcesses.Found::pid).toList();
            assertTrue(pids.contains(foreign.pid()), "unmarked slurmd is foreign: " + pids);
            assertFalse(pids.contains(ours.pid()), "slurmd of this lab is not foreign");
        } finally {
            foreign.destroyForcibly();
            ours.destroyForcibly();
        }
    }
}
