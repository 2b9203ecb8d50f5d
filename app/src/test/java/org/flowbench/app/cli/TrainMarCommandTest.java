package org.flowbench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 'train mar' as a user runs it on a small fixture: it trains and writes an ar-tokens package, packages a checkpoint
 * without training, and the package samples with --sampler disa (and refuses an image sampler in one line).
 */
class TrainMarCommandTest {
    @TempDir
    Path dir;

    @Test
    void trainsPackagesAndSamplesWithDisa() throws Exception {
        int n = 12;
        double[] x = new double[n * 784];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int e = 0; e < 784; e++) {
                x[i * 784 + e] = i % 2 == 0 ? -0.5 : 0.5;
            }
        }
        Path data = dir.resolve("toy.npy");
        Npy.writeFloat32(data, new int[] {n, 28, 28}, x);
        Npy.writeFloat32(dir.resolve("toy.labels.npy"), new int[] {n}, y);
        Path out = dir.resolve("mar");
        String[] r = CliTests.run("train", "mar", "--data", data.toString(), "--steps", "2", "--batch", "4",
                "--diffusion-mul", "1", "--out", out.toString());
        assertEquals("0", r[0], r[2]);
        JsonNode m = Json.MAPPER.readTree(out.resolve("flowbench-model.json").toFile());
        assertEquals("ar-tokens", m.path("kind").asText());
        assertEquals("mar-tiny-v1", m.path("architecture").asText());
        assertEquals(1, m.path("provenance").path("diffusionMul").asInt());
        Path peek = dir.resolve("peek");
        r = CliTests.run("train", "mar", "--out", out.toString(), "--package-checkpoint", peek.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(Files.isRegularFile(peek.resolve("model.safetensors")));
        Path man = dir.resolve("s.json");
        r = CliTests.run("sample", "--model", peek.toString(), "--sampler", "disa", "--param", "ar-steps=3",
                "--param", "upper=3", "--param", "lower=1", "--prompt", "all", "--n", "3", "--quiet",
                "--out", dir.resolve("s.npy").toString(), "--manifest", man.toString());
        assertEquals("0", r[0], r[2]);
        JsonNode s = Json.MAPPER.readTree(man.toFile());
        assertEquals("[3,2,1]", s.path("headSteps").toString());
        assertEquals(3.0, s.path("cost").path("backbone").asDouble(), 0);
        r = CliTests.run("sample", "--model", peek.toString(), "--sampler", "euler", "--n", "1",
                "--out", dir.resolve("e.npy").toString());
        assertEquals("2", r[0], "a model that cannot run the sampler is bad input: " + r[1] + r[2]);
        assertTrue(r[2].contains("euler needs a probability-flow field"), r[2]);
    }
}
