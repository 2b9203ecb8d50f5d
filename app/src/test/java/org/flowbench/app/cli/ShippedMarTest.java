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
 * The shipped tiny MAR is a built-in model: DiSA samples it from the command line with the schedule it was asked for,
 * image samplers refuse it with a clear message, and its sample project (constant 50, DiSA 50→5 three ways, constant 5)
 * runs headless.
 */
class ShippedMarTest {
    @TempDir
    Path dir;

    @Test
    void disaSamplesTheShippedMarAndItsProjectRuns() throws Exception {
        String[] models = CliTests.run("models");
        String line = models[1].lines().filter(l -> l.contains("builtin:fashion-mar")).findFirst().orElse("");
        assertTrue(line.contains("ar-tokens") && !line.contains("not installed"), models[1]);

        Path man = dir.resolve("m.json");
        String[] r = CliTests.run("sample", "--model", "builtin:fashion-mar", "--sampler", "disa", "--param",
                "schedule=linear", "--param", "ar-steps=8", "--param", "cfg=3", "--n", "4", "--prompt", "all",
                "--quiet", "--out", dir.resolve("s.npy").toString(), "--manifest", man.toString());
        assertEquals("0", r[0], r[2]);
        JsonNode m = Json.MAPPER.readTree(man.toFile());
        // MAR's linear T(k) from 50 to 5 over K = 8 (§3.2): 5 + floor((7 - k) / 7 * 45)
        assertEquals("[50,43,37,30,24,17,11,5]", m.path("headSteps").toString());
        assertEquals(217, m.path("sequentialHeadSteps").asInt());

        String[] euler = CliTests.run("sample", "--model", "builtin:fashion-mar", "--sampler", "euler", "--n", "2",
                "--quiet", "--out", dir.resolve("e.npy").toString());
        assertEquals("2", euler[0], euler[1] + euler[2]);
        assertTrue(euler[2].contains("disa"), euler[2]);

        Path project = Path.of("..", "sample-projects", "fashion-mar.flowbench");
        String[] run = CliTests.run("run", project.toString(), "--n", "2", "--out", dir.resolve("out").toString());
        assertEquals("0", run[0], run[2]);
        String metrics = Files.readString(dir.resolve("out/metrics.json"));
        for (String lane : new String[] {"MAR baseline, constant 50", "DiSA linear 50→5", "DiSA cosine 50→5",
                "DiSA two-stage 50→5", "Constant 5"}) {
            assertTrue(metrics.contains("\"" + lane + "\""), lane + " in " + metrics);
        }
        assertTrue(!metrics.contains("\"failed\""), metrics);
    }
}
