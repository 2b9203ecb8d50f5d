package org.flowbench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.flowbench.app.project.LaneSpec;
import org.flowbench.app.project.Project;
import org.flowbench.app.project.ProjectFiles;
import org.flowbench.app.project.SeedPolicy;
import org.flowbench.engine.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
    @TempDir
    Path dir;

    @Test
    void runsProjectHeadlessAndWritesMetricsAndSamples() throws Exception {
        Path pf = dir.resolve("p.flowbench");
        ProjectFiles.write(new Project(1, "cli", "builtin:3modes", null, "", 400, 200, 1, SeedPolicy.FIXED, 0, "exact",
                List.of(new LaneSpec("Euler 4", "euler", Map.of("steps", "4")),
                        new LaneSpec("Heun 4", "heun", Map.of("steps", "4")),
                        new LaneSpec("FKC 4", "fkc", Map.of("steps", "4", "particles", "3", "target", "anneal"))),
                List.of()), pf);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = FlowbenchCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), "run", pf.toString(),
                "--out", dir.resolve("out").toString());
        assertEquals(0, rc, err.toString());
        assertTrue(out.toString().contains("ran 3 lanes (0 failed)"), out.toString());
        JsonNode m = Json.MAPPER.readTree(dir.resolve("out/metrics.json").toFile());
        assertEquals("done", m.path("lanes").get(0).path("status").asText());
        assertEquals(4.0, m.path("lanes").get(0).path("metrics").path("nfePerImage").asDouble());
        assertEquals(400.0, m.path("lanes").get(0).path("metrics").path("images").asDouble());
        assertEquals(8.0, m.path("lanes").get(1).path("metrics").path("nfePerImage").asDouble());
        // the cost ledger: network evaluations count every particle, and the particles are a counter of their own
        assertEquals(12.0, m.path("lanes").get(2).path("metrics").path("nfePerImage").asDouble());
        assertEquals(3.0, m.path("lanes").get(2).path("metrics").path("particlesPerImage").asDouble());
        String csv = Files.readString(dir.resolve("out/metrics.csv"));
        assertTrue(csv.startsWith("lane,sampler,params,status,"), csv);
        assertTrue(csv.lines().findFirst().orElseThrow().contains(",particlesPerImage"), csv);
        assertEquals(4, csv.split("\n").length);
        assertTrue(Files.size(dir.resolve("out/samples/01-euler-4.npy")) > 400 * 2 * 4);
        Project back = ProjectFiles.read(dir.resolve("out/project.flowbench"));
        assertEquals(4.0, back.result("Euler 4").metric("nfePerImage"));
    }

    @Test
    void damagedProjectIsOneLineAndExitCode2() throws Exception {
        Path pf = dir.resolve("d.flowbench");
        Files.writeString(pf, "{ \"schemaVersion\": 1, \"lanes\": [");
        StringWriter err = new StringWriter();
        int rc = FlowbenchCommand.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "run",
                pf.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, rc);
        assertEquals(1, err.toString().strip().split("\n").length, err.toString());
        assertTrue(err.toString().contains("is damaged"), err.toString());
    }
}
