package org.flowbench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flowbench.engine.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Nitro student at toy scale: trains on a pair store, resumes, writes a package that 'nitro' samples; the toy. */
class TrainNitroCommandTest {
    @TempDir
    Path dir;

    @Test
    void trainsResumesAndSamplesTheStudent() throws Exception {
        String pairs = dir.resolve("pairs").toString();
        String[] p = CliTests.run("train", "slimflow", "pairs", "--n", "8", "--steps", "2", "--chunk", "8",
                "--flip-check", "0", "--out", pairs);
        assertEquals("0", p[0], p[2]);
        String out = dir.resolve("nitro").toString();
        String[] a = CliTests.run("train", "nitro", "train", "--pairs", pairs, "--out", out, "--steps", "2",
                "--batch", "4", "--heads", "4", "--per-step", "2", "--refresh", "0.25");
        assertEquals("0", a[0], a[2]);
        String[] refused = CliTests.run("train", "nitro", "train", "--pairs", pairs, "--out", out, "--steps", "3",
                "--batch", "4", "--heads", "4", "--per-step", "2", "--refresh", "0.25");
        assertTrue(!"0".equals(refused[0]) && refused[2].contains("already holds a checkpoint"), refused[2]);
        String[] b = CliTests.run("train", "nitro", "train", "--pairs", pairs, "--out", out, "--steps", "3",
                "--batch", "4", "--heads", "4", "--per-step", "2", "--refresh", "0.25", "--resume");
        assertEquals("0", b[0], b[2]);
        assertTrue(b[1].contains("finished at step 3"), b[1]);
        JsonNode m = Json.MAPPER.readTree(dir.resolve("nitro/flowbench-model.json").toFile());
        assertEquals("dynamic adversarial training", m.path("nitro").path("stage").asText());
        assertEquals(3, m.path("provenance").path("steps").asInt());
        // 4 groups × 4 heads, a quarter refreshed per step: 4 per step, counted across the resume
        assertEquals(12, m.path("provenance").path("headsRefreshed").asInt());
        String[] s = CliTests.run("sample", "--model", out, "--sampler", "nitro", "--param", "steps=2", "--n", "2",
                "--prompt", "all", "--quiet", "--out", dir.resolve("s.npy").toString());
        assertEquals("0", s[0], s[2]);
        assertTrue(Files.size(dir.resolve("s.npy")) > 0);
    }

    @Test
    void toyWritesOneCurvePerArm() throws Exception {
        Path json = dir.resolve("toy.jsonl");
        String[] t = CliTests.run("train", "nitro", "toy", "--steps", "40", "--arm", "pool,single", "--json",
                json.toString());
        assertEquals("0", t[0], t[2]);
        assertEquals(2, Files.readAllLines(json).size());
        assertTrue(t[1].contains("pool step 40: FD"), t[1]);
    }
}
