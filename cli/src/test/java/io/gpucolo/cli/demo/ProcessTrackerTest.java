package io.gpucolo.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessTrackerTest {
    @TempDir
    Path tmp;

    @Test
    void stopAllStopsTrackedProcessesAndTheirChildrenEvenWhenTheyIgnoreTerm() throws Exception {
        ProcessTracker t = new ProcessTracker(tmp.resolve("pids"));
        // a parent that ignores SIGTERM, with a child that ignores it too
        Process p = t.start("stubborn", List.of("sh", "-c", "trap '' TERM; sh -c \"trap '' TERM; sleep 60\" & sleep 60"),
                Map.of(), tmp.resolve("log"));
        Thread.sleep(300);
        List<ProcessHandle> family = p.descendants().toList();
        assertFalse(family.isEmpty(), "the child is running");
        assertEquals(1, t.stopAll(Duration.ofMillis(500)));
        assertFalse(p.isAlive());
        Thread.sleep(200);
        assertTrue(family.stream().noneMatch(h -> LabProcesses.running(h.pid())), "children are gone too");
        assertTrue(Files.readString(tmp.resolve("pids")).contains(p.pid() + " stubborn"));
    }

    @Test
    void runReturnsExitCodeAndOutputAndTimesOut() {
        ProcessTracker t = new ProcessTracker(tmp.resolve("pids"));
        ProcessTracker.Result ok = t.run("echo", List.of("sh", "-c", "echo hi; exit 3"), Map.of(), Duration.ofSeconds(5));
        assertEquals(new ProcessTracker.Result(3, "hi\n"), ok);
        ProcessTracker.Result slow = t.run("slow", List.of("sleep", "30"), Map.of(), Duration.ofMillis(300));
        assertEquals(124, slow.exitCode());
        assertEquals(List.of(), t.alive());
    }

    @Test
    void closedTrackerStartsNothing() {
        ProcessTracker t = new ProcessTracker(tmp.resolve("pids"));
        t.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> t.start("late", List.of("true"), Map.of(), tmp.resolve("log")));
        assertTrue(e.getMessage().contains("late"));
    }
}
