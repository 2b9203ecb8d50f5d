package org.flowbench.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.flowbench.app.cli.CliTests.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.io.Png;
import org.flowbench.engine.io.Safetensors;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.model.pkg.TinyPackages;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.Sampler;
import org.flowbench.samplers.SamplerRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A network flow package through the sampler SPI and the CLI (PNG grid with recipe, export). */
class ModelsAndSamplingTest {
    @TempDir
    Path dir;

    @Test
    void flowPackageSamplesWithEuler() throws Exception {
        Path p = TinyPackages.flow(dir.resolve("tiny"));
        try (FlowModel m = Models.open(p.toString())) {
            Sampler s = SamplerRegistry.create("euler", Map.of("steps", "4"));
            int n = 5;
            int[] labels = {0, 3, -1, 7, 9};
            SampleBatch b = s.sample(new SamplingRequest(1, 0, n, 2, labels, 0), m, ProgressListener.NONE,
                    CancellationToken.NONE);
            assertEquals(n * 784, b.samples().length);
            assertArrayEquals(new int[] {1, 28, 28}, b.shape());
            for (double v : b.samples()) {
                assertTrue(Double.isFinite(v));
            }
            // batch invariance: image 3 alone equals image 3 in the batch
            SampleBatch one = s.sample(new SamplingRequest(1, 3, 1, 1, new int[] {7}, 0), m, ProgressListener.NONE,
                    CancellationToken.NONE);
            for (int i = 0; i < 784; i++) {
                assertEquals(b.samples()[3 * 784 + i], one.samples()[i], 1e-5);
            }
        }
    }

    @Test
    void torchScriptFixtureGivesTheSamplesOfTheAnalyticModel() throws Exception {
        Path d = dir.resolve("ts-gauss");
        Files.createDirectories(d);
        for (String f : new String[] {"flowbench-model.json", "model.pt"}) {
            try (var in = org.flowbench.engine.model.pkg.TinyPackages.class.getResourceAsStream("ts-gauss/" + f)) {
                Files.copy(in, d.resolve(f));
            }
        }
        Path spec = dir.resolve("g.json");
        Files.writeString(spec, "{\"type\":\"gaussian-mixture\",\"path\":\"rectified-flow\",\"weights\":[1],"
                + "\"means\":[[1,-2]],\"stds\":[0.5]}");
        Sampler s = SamplerRegistry.create("heun", Map.of("steps", "20"));
        SamplingRequest req = new SamplingRequest(7, 0, 64, 32, null, 0);
        try (FlowModel ts = Models.open(d.toString()); FlowModel exact = Models.open(spec.toString())) {
            double[] a = s.sample(req, ts, ProgressListener.NONE, CancellationToken.NONE).samples();
            double[] b = s.sample(req, exact, ProgressListener.NONE, CancellationToken.NONE).samples();
            double mean0 = 0;
            for (int i = 0; i < a.length; i++) {
                assertEquals(b[i], a[i], 1e-4, "sample value " + i);
                mean0 += a[i] / 64;
                i++;
            }
            assertEquals(1.0, mean0, 0.25);
        }
    }

    @Test
    void samplersListsIdsAndParametersAndSampleDefaultsToEuler32() throws Exception {
        String[] r = run("samplers");
        assertEquals("0", r[0], r[2]);
        for (String id : SamplerRegistry.ids()) {
            assertTrue(r[1].contains(id), r[1]);
        }
        r = run("samplers", "fkc");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("particles") && r[1].contains("guidance"), r[1]);
        r = run("samplers", "no-such");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("unknown sampler 'no-such'"), r[2]);
        // no --sampler: Euler with its default 32 steps (the model default, builtin:fashion-flow, needs no flag either)
        Path p = TinyPackages.flow(dir.resolve("tiny-default"));
        Path npy = dir.resolve("d.npy");
        Path manifest = dir.resolve("d.json");
        r = run("sample", "--model", p.toString(), "--n", "2", "--out", npy.toString(), "--manifest",
                manifest.toString(), "--quiet");
        assertEquals("0", r[0], r[2]);
        JsonNode m = Json.MAPPER.readTree(manifest.toFile());
        assertEquals("euler", m.get("sampler").asText(), m.toString());
        assertEquals(32, m.get("params").get("steps").asInt(), m.toString());
    }

    @Test
    void sampleWritesAPngGridWithTheRecipeAndExportWritesSafetensors() throws Exception {
        Path p = TinyPackages.flow(dir.resolve("tiny"));
        Path png = dir.resolve("grid.png");
        String[] r = run("sample", "--model", p.toString(), "--sampler", "euler", "--steps", "2", "--n", "4",
                "--batch", "4", "--prompt", "class 2", "--out", png.toString(), "--quiet");
        assertEquals("0", r[0], r[2]);
        assertTrue(Files.size(png) > 100);
        JsonNode recipe = Json.MAPPER.readTree(Png.readText(png).get(org.flowbench.engine.run.PngRecipe.KEY));
        assertEquals("class 2", recipe.get("prompt").asText());
        assertTrue(recipe.toString().contains("euler"), recipe.toString());
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(2 * 28 + 3 * 2, img.getWidth());

        Path st = dir.resolve("w.safetensors");
        r = run("export", "--model", p.toString(), "--format", "safetensors", "--out", st.toString());
        assertEquals("0", r[0], r[2]);
        Safetensors.Contents c = Safetensors.read(st);
        assertTrue(c.tensors().containsKey("out.weight"));
        assertEquals("flow-unet-v1", c.metadata().get("flowbench.architecture"));

        r = run("export", "--model", p.toString(), "--format", "onnx", "--out", st.toString());
        assertEquals("2", r[0]);
    }
}
