package org.flowbench.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.flowbench.app.project.LaneSpec;
import org.flowbench.app.project.Project;
import org.flowbench.app.project.ProjectFiles;
import org.flowbench.app.project.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real workbench windows (separate processes, headless Monocle) share one configuration folder: window A runs
 * its project, window B is open; A is killed with SIGKILL. A later start is offered exactly A's project, with its
 * finished lanes, and B's files are untouched while B runs.
 */
class TwoWindowRecoveryTest {
    @TempDir
    Path dir;

    private Process window(Path config, Path project, boolean run) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Djava.awt.headless=true", "-Dglass.platform=Monocle",
                "-Dmonocle.platform=Headless", "-Dprism.order=sw", "-Dflowbench.config=" + config,
                "-Djava.util.prefs.userRoot=" + dir.resolve("prefs"),
                "-cp", System.getProperty("java.class.path"), "org.flowbench.app.Main", "gui", project.toString()));
        if (run) {
            cmd.add("--run");
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(
                project.getFileName() + ".log").toFile()).start();
    }

    private static Path sessionFile(Path config, long pid, String suffix) throws Exception {
        Path s = config.resolve("sessions");
        if (!Files.isDirectory(s)) {
            return null;
        }
        try (Stream<Path> files = Files.list(s)) {
            return files.filter(f -> f.getFileName().toString().startsWith(pid + "-")
                    && f.getFileName().toString().endsWith(suffix)).findFirst().orElse(null);
        }
    }

    private static Path await(java.util.concurrent.Callable<Path> c, String what) throws Exception {
        long end = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < end) {
            Path p = c.call();
            if (p != null) {
                return p;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    @Test
    void aKilledWindowIsRecoveredAloneWithItsFinishedLanes() throws Exception {
        Path config = dir.resolve("config");
        Path pa = dir.resolve("a.flowbench");
        Path pb = dir.resolve("b.flowbench");
        ProjectFiles.write(Project.analyticComparison().withName("window A").withLanes(List.of(
                new LaneSpec("E4", "euler", Map.of("steps", "4")))), pa);
        ProjectFiles.write(Project.analyticComparison().withName("window B"), pb);
        Process a = window(config, pa, true);
        Process b = null;
        try {
            // A has run its lane and autosaved the result
            Path autoA = await(() -> {
                Path f = sessionFile(config, a.pid(), ".flowbench");
                if (f == null) {
                    return null;
                }
                List<org.flowbench.app.project.LaneResult> r = ProjectFiles.read(f).results();
                return !r.isEmpty() && r.get(0).status().equals("done") ? f : null;
            }, "window A's autosave with a finished lane (log: " + dir.resolve("a.flowbench.log") + ")");
            b = window(config, pb, false);
            Process bb = b;
            Path markerB = await(() -> sessionFile(config, bb.pid(), ".running"), "window B's marker");
            a.destroyForcibly().waitFor();
            List<Workspace.Recovery> offered = new Workspace(config).recoverable();
            assertEquals(1, offered.size(), offered.toString());
            assertEquals("window A", offered.get(0).project().name());
            assertEquals(autoA, offered.get(0).autosave());
            assertEquals("done", offered.get(0).project().results().get(0).status());
            assertTrue(Files.exists(markerB) && b.isAlive(), "window B and its marker are untouched");
        } finally {
            a.destroyForcibly();
            if (b != null) {
                b.destroyForcibly().waitFor();
            }
        }
    }
}
