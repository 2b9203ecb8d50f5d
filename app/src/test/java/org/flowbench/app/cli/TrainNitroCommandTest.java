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
        String pairs = pairStore(8);
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

    /**
     * The discriminator learns: against a student that does not move (learning rate 1e-12) one global head (learning
     * rate 1e-3) pulls the hinge loss well below chance (2); a head with learning rate 1e-12 stays near its random
     * start. (In the real runs the loss stays near 2 because the student keeps up, not because the heads cannot learn.)
     */
    @Test
    void aHeadLearnsToTellAFrozenStudentFromTheTeacher() throws Exception {
        String pairs = pairStore(16);
        double learning = lateDiscriminatorLoss(pairs, "learning", "1e-3");
        double frozen = lateDiscriminatorLoss(pairs, "frozen", "1e-12");
        String both = "late D loss: learning head " + learning + ", frozen head " + frozen;
        assertTrue(learning < 1.8, both);
        assertTrue(frozen > 1.9 && frozen - learning > 0.2, both);
    }

    /** A teacher pair store of n two-step Heun pairs. */
    private String pairStore(int n) {
        String pairs = dir.resolve("pairs").toString();
        String[] p = CliTests.run("train", "slimflow", "pairs", "--n", Integer.toString(n), "--steps", "2", "--chunk",
                Integer.toString(n), "--flip-check", "0", "--out", pairs);
        assertEquals("0", p[0], p[2]);
        return pairs;
    }

    /** Mean discriminator loss over the last 20 of 60 steps against a frozen student. */
    private double lateDiscriminatorLoss(String pairs, String name, String headLr) throws Exception {
        int steps = 60;
        String[] r = CliTests.run("train", "nitro", "train", "--pairs", pairs, "--out", dir.resolve(name).toString(),
                "--steps", Integer.toString(steps), "--batch", "8", "--lr", "1e-12", "--head-lr", headLr,
                "--regression", "0", "--groups", "1", "--heads", "1", "--per-step", "1", "--refresh", "0",
                "--no-local", "--no-conditional", "--log-every", "1");
        assertEquals("0", r[0], r[2]);
        java.util.List<Double> losses = r[2].lines().filter(l -> l.startsWith("step "))
                .map(l -> Double.parseDouble(l.split(" ")[4])).toList();
        assertEquals(steps, losses.size(), r[2]);
        return losses.subList(steps - 20, steps).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
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
