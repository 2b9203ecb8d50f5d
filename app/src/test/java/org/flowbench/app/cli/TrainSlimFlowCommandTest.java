package org.flowbench.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.io.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three SlimFlow stages end to end at toy sizes on the built-in teacher (pairs with Heun 2, a tiny student), the
 * distilled package samples in one step, and a stopped distillation resumes to exactly the uninterrupted weights.
 */
class TrainSlimFlowCommandTest {
    @TempDir
    Path dir;

    @Test
    void pairsReflowDistillAndSampleInOneStep() throws Exception {
        String pairs = dir.resolve("pairs").toString();
        String[] p = CliTests.run("train", "slimflow", "pairs", "--n", "24", "--steps", "2", "--chunk", "10",
                "--flip-check", "0", "--out", pairs);
        assertEquals("0", p[0], p[2]);
        String reflow = dir.resolve("reflow").toString();
        String[] r = CliTests.run("train", "slimflow", "reflow", "--pairs", pairs, "--out", reflow, "--steps", "4",
                "--batch", "4", "--channels", "8,8,8", "--emb", "16", "--beta", "linear:2");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("finished at step 4"), r[1]);
        // a second run into the same folder without --resume is refused, the checkpoint kept
        String[] again = CliTests.run("train", "slimflow", "reflow", "--pairs", pairs, "--out", reflow, "--steps", "4",
                "--batch", "4", "--channels", "8,8,8", "--emb", "16", "--beta", "linear:2");
        assertTrue(!"0".equals(again[0]) && again[2].contains("already holds a checkpoint"), again[2]);

        // SlimFlow's "initialised" arm: reflow starting from another reflow stage's EMA weights (step 0 = those)
        String init = dir.resolve("reflow-init").toString();
        String[] i = CliTests.run("train", "slimflow", "reflow", "--pairs", pairs, "--out", init, "--steps", "1",
                "--batch", "4", "--channels", "8,8,8", "--emb", "16", "--beta", "fix:0", "--init", reflow,
                "--checkpoint-every", "1e9");
        assertEquals("0", i[0], i[2]);
        Safetensors.Contents from = Safetensors.read(Path.of(reflow, "checkpoint.safetensors"));
        Safetensors.Contents started = Safetensors.read(Path.of(init, "checkpoint.safetensors"));
        double moved = 0;
        for (String name : from.tensors().keySet()) {
            if (name.startsWith("ema/")) {
                float[] x = from.tensors().get(name).data();
                float[] y = started.tensors().get("param/" + name.substring(4)).data();
                for (int k = 0; k < x.length; k++) {
                    moved = Math.max(moved, Math.abs(x[k] - y[k]));
                }
            }
        }
        assertTrue(moved > 0 && moved < 2e-3, "one Adam step (lr ≤ 5e-4 in warm-up) from the EMA weights: " + moved);
        assertEquals(reflow, Json.MAPPER.readTree(Path.of(init, "flowbench-model.json").toFile())
                .path("provenance").path("settings").path("init").asText());
        String[] wrong = CliTests.run("train", "slimflow", "reflow", "--pairs", pairs, "--out",
                dir.resolve("reflow-wrong").toString(), "--steps", "1", "--batch", "4", "--channels", "8,16,16", "--emb",
                "16", "--init", reflow);
        assertTrue(!"0".equals(wrong[0]) && wrong[2].contains("pass the same --channels and --emb"), wrong[2]);

        String full = dir.resolve("distill-full").toString();
        String[] d = CliTests.run("train", "slimflow", "distill", "--pairs", pairs, "--from", reflow, "--out", full,
                "--steps", "4", "--batch", "4");
        assertEquals("0", d[0], d[2]);
        JsonNode m = Json.MAPPER.readTree(dir.resolve("distill-full/flowbench-model.json").toFile());
        assertEquals("flow-guided-distillation", m.path("provenance").path("settings").path("stage").asText());
        assertEquals("[8,8,8]", m.path("config").path("channels").toString());
        assertEquals("euler with 1 step (one network evaluation): x1 = z + v(z, 0)",
                m.path("slimflow").path("sampleWith").asText());

        String[] s = CliTests.run("sample", "--model", full, "--sampler", "euler", "--steps", "1", "--n", "4",
                "--prompt", "all", "--quiet", "--out", dir.resolve("s.npy").toString());
        assertEquals("0", s[0], s[2]);

        // 2 steps, then --resume to 4: the same student as 4 steps at once
        String split = dir.resolve("distill-split").toString();
        assertEquals("0", CliTests.run("train", "slimflow", "distill", "--pairs", pairs, "--from", reflow, "--out", split,
                "--steps", "2", "--batch", "4")[0]);
        String[] rest = CliTests.run("train", "slimflow", "distill", "--pairs", pairs, "--from", reflow, "--out", split,
                "--steps", "4", "--batch", "4", "--resume");
        assertEquals("0", rest[0], rest[2]);
        Safetensors.Contents a = Safetensors.read(Path.of(full, "model.safetensors"));
        Safetensors.Contents b = Safetensors.read(Path.of(split, "model.safetensors"));
        for (String name : a.tensors().keySet()) {
            assertArrayEquals(a.tensors().get(name).data(), b.tensors().get(name).data(), name);
        }
        // the distance can be L2 only
        String[] l2 = CliTests.run("train", "slimflow", "distill", "--pairs", pairs, "--from", reflow, "--out",
                dir.resolve("distill-l2").toString(), "--steps", "1", "--batch", "4", "--distance", "l2", "--guidance", "0");
        assertEquals("0", l2[0], l2[2]);
        assertTrue(Files.exists(dir.resolve("distill-l2/model.safetensors")));
    }
}
