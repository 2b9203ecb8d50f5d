package org.flowbench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ReNO study and 'sample --sampler reno' at toy scale: one JSON line per arm, the sheet, the per-image extras. */
class TrainRenoCommandTest {
    @TempDir
    Path dir;

    @Test
    void studyWritesOneLinePerArmAndSampleWritesTheExtras() throws Exception {
        Path json = dir.resolve("r4.jsonl");
        Path sheet = dir.resolve("sheet.png");
        String[] r = CliTests.run("train", "reno", "--n", "2", "--param", "iterations=3", "--arm", "gradient;none",
                "--json", json.toString(), "--sheet", sheet.toString());
        assertEquals("0", r[0], r[2]);
        List<String> lines = Files.readAllLines(json);
        assertEquals(2, lines.size());
        JsonNode g = Json.MAPPER.readTree(lines.get(0));
        assertEquals("gradient", g.path("arm").asText());
        assertEquals(8, g.path("n").asInt());
        assertEquals(3.0, g.path("cost").path("network").asDouble());
        assertEquals(2.0, g.path("cost").path("backward").asDouble());
        assertTrue(g.path("rewardProbabilityBest").asDouble() >= g.path("rewardProbabilityInitial").asDouble());
        assertEquals(2, g.path("judgeAgreesBestInterval95").size());
        assertTrue(g.path("fidReference").asText().contains("4000 images"), g.toString());
        JsonNode none = Json.MAPPER.readTree(lines.get(1));
        assertEquals(none.path("fidInitial").asDouble(), none.path("fidBest").asDouble(), 1e-9);
        assertTrue(Files.size(sheet) > 0);

        Path out = dir.resolve("best.npy");
        String[] s = CliTests.run("sample", "--model", "builtin:fashion-slimflow", "--sampler", "reno", "--param",
                "iterations=2", "--prompt", "Coat", "--n", "3", "--quiet", "--out", out.toString(), "--manifest",
                dir.resolve("m.json").toString());
        assertEquals("0", s[0], s[2]);
        Path extras = dir.resolve("best.extras");
        assertEquals(3 * 784, Npy.read(extras.resolve("initial.npy")).data().length);
        assertEquals(3 * 2, Npy.read(extras.resolve("reward-trace.npy")).data().length);
        JsonNode m = Json.MAPPER.readTree(dir.resolve("m.json").toFile());
        assertTrue(m.path("extraMeans").has("judge-agrees-best"), m.toString());
        assertEquals("builtin:fashion-judge", m.path("judge").path("model").asText());
    }

    /** A realism discriminator at toy scale: a two-class package whose reward is log p(real | x), usable by ReNO. */
    @Test
    void realismDiscriminatorIsARewardOfItsOwnClass() throws Exception {
        Path pkg = dir.resolve("realism");
        String[] t = CliTests.run("train", "realism", "--images", "64", "--held-out", "32", "--steps", "3",
                "--batch", "16", "--out", pkg.toString());
        assertEquals("0", t[0], t[2]);
        JsonNode m = Json.MAPPER.readTree(pkg.resolve("flowbench-model.json").toFile());
        assertEquals(0, m.path("reward").path("class").asInt());
        assertEquals("[\"real\",\"generated\"]", m.path("conditioning").path("classNames").toString());
        assertTrue(m.path("provenance").path("metrics").has("heldOutGeneratedAccuracy"), m.toString());
        assertEquals("builtin:fashion-slimflow", m.path("generated").path("model").asText());
        Path out = dir.resolve("real.npy");
        String[] s = CliTests.run("sample", "--model", "builtin:fashion-slimflow", "--sampler", "reno", "--param",
                "iterations=2", "--param", "rewards=builtin:fashion-classifier=1+" + pkg + "=0.5", "--prompt", "Coat",
                "--n", "2", "--quiet", "--out", out.toString(), "--manifest", dir.resolve("rm.json").toString());
        assertEquals("0", s[0], s[2]);
        JsonNode rm = Json.MAPPER.readTree(dir.resolve("rm.json").toFile());
        assertEquals("log p(real | x)", rm.path("rewards").get(1).path("reward").asText(), rm.toString());
        assertEquals(0.5, rm.path("rewards").get(1).path("weight").asDouble());
    }
}
