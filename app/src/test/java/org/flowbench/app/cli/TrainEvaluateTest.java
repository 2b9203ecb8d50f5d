package org.flowbench.app.cli;

import static org.flowbench.app.cli.CliTests.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flowbench.engine.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flowbench train evaluate}, the command behind the model card's figures, at toy size on the shipped
 * builtin:fashion-flow: one JSON line per run and seed appended to the file, exact NFE, the classifier's agreement
 * with the prompts, a finite domain FID, determinism for a seed, and the mean ± sd summary over repeated seeds.
 */
class TrainEvaluateTest {
    @TempDir
    Path dir;

    @Test
    void rowsPerSeedAppendedWithASpreadSummary() throws Exception {
        Path json = dir.resolve("eval.jsonl");
        Files.writeString(json, "{\"earlier\":true}\n");
        String[] r = run("train", "evaluate", "--n", "40", "--batch", "20", "--run", "euler:2", "--seed", "0",
                "--seed", "1", "--json", json.toString());
        assertEquals("0", r[0], r[2]);
        List<String> lines = Files.readAllLines(json);
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertEquals("{\"earlier\":true}", lines.get(0), "earlier lines are kept");
        JsonNode a = Json.MAPPER.readTree(lines.get(1));
        JsonNode b = Json.MAPPER.readTree(lines.get(2));
        assertEquals(0, a.get("seed").asLong());
        assertEquals(1, b.get("seed").asLong());
        for (JsonNode row : List.of(a, b)) {
            assertEquals("euler:2", row.get("run").asText());
            assertEquals(40, row.get("n").asInt());
            assertEquals(2.0, row.get("nfePerImage").asDouble(), 0.0);
            // two Euler steps already give recognisable garments (90.8 % on 10 000 samples in the model card)
            assertTrue(row.get("classifiedAsPrompted").asDouble() >= 0.6, row.toString());
            double fid = row.get("fid").asDouble();
            assertTrue(Double.isFinite(fid) && fid > 0, row.toString());
            // what the classifier makes of them: 10 classes, 40 samples, and the imbalance those counts give
            JsonNode classes = row.get("classifiedAs");
            assertEquals(10, classes.size(), row.toString());
            double tv = 0;
            int total = 0;
            for (JsonNode k : classes) {
                total += k.asInt();
                tv += Math.abs(k.asInt() / 40.0 - 0.1);
            }
            assertEquals(40, total);
            assertEquals(tv / 2, row.get("classImbalanceTv").asDouble(), 1e-12);
            int hits = (int) Math.round(row.get("classifiedAsPrompted").asDouble() * 40);
            assertTrue(tv / 2 <= 1 - hits / 40.0 + 1e-12, "prompts are balanced: misses bound the imbalance");
        }
        assertNotEquals(a.get("fid").asDouble(), b.get("fid").asDouble(), "other seeds, other samples");
        assertTrue(r[1].contains("euler:2 over 2 seeds: FID "), r[1]);

        String[] again = run("train", "evaluate", "--n", "40", "--batch", "20", "--run", "euler:2");
        assertEquals("0", again[0], again[2]);
        JsonNode c = Json.MAPPER.readTree(again[1].lines().findFirst().orElseThrow());
        assertEquals(a.get("fid").asDouble(), c.get("fid").asDouble(), 0.0, "deterministic for a seed");
        assertEquals(a.get("classifiedAsPrompted").asDouble(), c.get("classifiedAsPrompted").asDouble(), 0.0);
        assertTrue(!again[1].contains("over"), "no summary for one seed");
    }
}
