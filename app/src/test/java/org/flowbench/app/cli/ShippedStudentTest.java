package org.flowbench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flowbench.engine.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped students are built-in models: 4 Euler steps on the BOSS student run on its stored Bellman times; the
 * SlimFlow student samples in one network evaluation and its sample project runs headless.
 */
class ShippedStudentTest {
    @TempDir
    Path dir;

    @Test
    void fourEulerStepsOnTheStudentUseItsBellmanTimes() throws Exception {
        String[] models = CliTests.run("models");
        assertTrue(models[1].contains("builtin:fashion-flow-boss4"), models[1]);
        Path man = dir.resolve("m.json");
        String[] r = CliTests.run("sample", "--model", "builtin:fashion-flow-boss4", "--steps", "4", "--n", "10",
                "--prompt", "all", "--quiet", "--out", dir.resolve("s.npy").toString(), "--manifest", man.toString());
        assertEquals("0", r[0], r[2]);
        JsonNode m = Json.MAPPER.readTree(man.toFile());
        assertEquals("[0.0,0.22,0.51,0.8,1.0]", m.path("times").toString());
        assertEquals("auto", m.path("params").path("grid").asText());
        assertEquals(4.0, m.path("nfePerImage").asDouble());
    }

    @Test
    void theSlimFlowStudentSamplesInOneStepAndItsProjectRuns() throws Exception {
        String[] models = CliTests.run("models");
        String line = models[1].lines().filter(l -> l.contains("builtin:fashion-slimflow")).findFirst().orElse("");
        assertTrue(!line.isEmpty(), models[1]);
        assertTrue(!line.contains("not installed"), line);
        Path man = dir.resolve("m.json");
        String[] r = CliTests.run("sample", "--model", "builtin:fashion-slimflow", "--steps", "1", "--n", "10",
                "--prompt", "all", "--quiet", "--out", dir.resolve("s.npy").toString(), "--manifest", man.toString());
        assertEquals("0", r[0], r[2]);
        assertEquals(1.0, Json.MAPPER.readTree(man.toFile()).path("nfePerImage").asDouble());
        Path project = Path.of("..", "sample-projects", "fashion-slimflow.flowbench");
        String[] run = CliTests.run("run", project.toString(), "--n", "4", "--out", dir.resolve("out").toString());
        assertEquals("0", run[0], run[2]);
        JsonNode metrics = Json.MAPPER.readTree(dir.resolve("out/metrics.json").toFile());
        assertTrue(metrics.toString().contains("SlimFlow, 1 step"), metrics.toString());
        // the ReNO sample project runs headless on the student (a few images, the default 50 iterations)
        Path reno = Path.of("..", "sample-projects", "fashion-reno.flowbench");
        String[] rr = CliTests.run("run", reno.toString(), "--n", "2", "--out", dir.resolve("reno").toString());
        assertEquals("0", rr[0], rr[2]);
        String m = Files.readString(dir.resolve("reno/metrics.json"));
        assertTrue(m.contains("ReNO, 50 iterations") && m.contains("Image-select, 50"), m);
    }

    @Test
    void theUnconditionalFineTuneIsBuiltInAndItsProjectRunsWithoutAPrompt() throws Exception {
        String[] models = CliTests.run("models");
        String line = models[1].lines().filter(l -> l.contains("builtin:fashion-flow-uncond")).findFirst().orElse("");
        assertTrue(!line.isEmpty() && !line.contains("not installed"), models[1]);
        JsonNode m = Json.MAPPER.readTree(Path.of("..", "models", "fashion-flow-uncond", "flowbench-model.json").toFile());
        assertEquals(0.5, m.path("conditioning").path("labelDropout").asDouble());
        assertEquals("builtin:fashion-flow", m.path("provenance").path("initialisedFrom").asText());
        Path project = Path.of("..", "sample-projects", "fashion-unconditional.flowbench");
        String[] run = CliTests.run("run", project.toString(), "--n", "4", "--out", dir.resolve("u").toString());
        assertEquals("0", run[0], run[2]);
        String metrics = Files.readString(dir.resolve("u/metrics.json"));
        assertTrue(metrics.contains("Uncond, Euler 32") && metrics.contains("Parent, Euler 32"),
                metrics);
    }
}
