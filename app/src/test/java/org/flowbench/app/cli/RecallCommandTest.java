package org.flowbench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.flowbench.app.project.LaneSpec;
import org.flowbench.app.project.Project;
import org.flowbench.app.project.ProjectFiles;
import org.flowbench.app.project.SeedPolicy;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.io.Png;
import org.flowbench.engine.model.pkg.TinyPackages;
import org.flowbench.engine.run.PngRecipe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A PNG that {@code flowbench run} wrote recalls to a project whose run gives the same image, bit for bit. */
class RecallCommandTest {
    @TempDir
    Path dir;
    Path out;

    static String[] cli(String... args) {
        return CliTests.run(args);
    }

    @BeforeEach
    void runATinyImageProject() throws Exception {
        Path model = TinyPackages.flow(dir.resolve("tiny"));
        Path pf = dir.resolve("p.flowbench");
        ProjectFiles.write(new Project(2, "recall", model.toString(), null, "class 3", 6, 4, 7, SeedPolicy.FIXED, 0,
                "exact", List.of(new LaneSpec("Euler 3", "euler", Map.of("steps", "3")),
                new LaneSpec("Heun 2", "heun", Map.of("steps", "2"))), List.of()), pf);
        out = dir.resolve("out");
        String[] r = cli("run", pf.toString(), "--out", out.toString(), "--quiet");
        assertEquals("0", r[0], r[2]);
    }

    @Test
    void aPngCarriesItsParametersAndRecallsToAProjectThatReproducesIt() throws Exception {
        Path png = out.resolve("samples/02-heun-2/00005.png");
        Map<String, String> text = Png.readText(png);
        String parameters = text.get(PngRecipe.PARAMETERS);
        assertTrue(parameters.startsWith("class 3\nSteps: 2, Sampler: heun, Seed: 7, Size: 28x28, Model hash: "),
                parameters);
        assertTrue(parameters.contains("Image: 5"), parameters);
        JsonNode recipe = Json.MAPPER.readTree(text.get(PngRecipe.KEY));
        assertEquals(5, recipe.get("image").asInt());

        Path pf = dir.resolve("recalled.flowbench");
        String[] r = cli("recall", png.toString(), "--check", "--out", pf.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("check: reproduced bit for bit"), r[1]);
        Project p = ProjectFiles.read(pf);
        assertEquals(1, p.lanes().size());
        assertEquals("heun", p.lanes().get(0).sampler());
        assertEquals("2", p.lanes().get(0).params().get("steps"));
        assertEquals(7, p.seed());
        assertEquals("class 3", p.prompt());
        assertEquals(6, p.n()); // covers image 5

        // the recalled project, run again, writes the same image
        Path again = dir.resolve("again");
        r = cli("run", pf.toString(), "--out", again.toString(), "--quiet");
        assertEquals("0", r[0], r[2]);
        assertEquals(pixels(png), pixels(again.resolve("samples/01-heun-2/00005.png")));
    }

    @Test
    void aChangedImageIsReportedWithExitCode1() throws Exception {
        Path png = out.resolve("samples/01-euler-3/00002.png");
        Map<String, String> text = Png.readText(png);
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        byte[] px = new byte[28 * 28];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) img.getRaster().getSample(i % 28, i / 28, 0);
        }
        px[100] = (byte) ((px[100] & 0xff) ^ 0x10);
        Path changed = dir.resolve("changed.png");
        Files.write(changed, Png.encode(28, 28, 1, px, text, PngRecipe.UTF8_KEYS));
        String[] r = cli("recall", changed.toString(), "--check");
        assertEquals("1", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("differs: 1 pixel values, by up to 16 levels"), r[1]);
    }

    @Test
    void metricsJsonRecallsEveryLaneAndJsonOutputParses() throws Exception {
        String[] r = cli("recall", out.resolve("metrics.json").toString(), "--json");
        assertEquals("0", r[0], r[2]);
        JsonNode j = Json.MAPPER.readTree(r[1]);
        assertEquals(2, j.get("lanes").size());
        assertEquals("Heun 2", j.get("lanes").get(1).get("lane").asText());
        assertEquals(7, j.get("seed").asLong());
        assertEquals(6, j.get("n").asInt());
    }

    @Test
    void aSamplingManifestRecallsToALaneOfItsRun() throws Exception {
        Path model = dir.resolve("tiny");
        Path manifest = dir.resolve("m.json");
        String[] r = cli("sample", "--model", model.toString(), "--sampler", "heun", "--steps", "3", "--n", "5",
                "--seed", "11", "--prompt", "class 2", "--out", dir.resolve("s.npy").toString(), "--manifest",
                manifest.toString(), "-q");
        assertEquals("0", r[0], r[2]);
        Path pf = dir.resolve("from-manifest.flowbench");
        r = cli("recall", manifest.toString(), "--out", pf.toString());
        assertEquals("0", r[0], r[2]);
        Project p = ProjectFiles.read(pf);
        assertEquals(model.toString(), p.model());
        assertEquals("heun", p.lanes().get(0).sampler());
        assertEquals("3", p.lanes().get(0).params().get("steps"));
        assertEquals(11, p.seed());
        assertEquals(5, p.n());
        assertEquals("class 2", p.prompt());
    }

    @Test
    void aFileWithoutARecipeIsOneClearLine() throws Exception {
        Path plain = dir.resolve("plain.png");
        Files.write(plain, Png.encode(1, 1, 1, new byte[1], Map.of(PngRecipe.PARAMETERS, "a cat\nSteps: 20")));
        String[] r = cli("recall", plain.toString());
        assertEquals("2", r[0]);
        assertEquals(1, r[2].strip().split("\n").length, r[2]);
        assertTrue(r[2].contains("no Flowbench recipe") && r[2].contains("another tool"), r[2]);
        // the project to write may not be the file recalled, and an existing one is kept without --overwrite
        Path pf = dir.resolve("keep.flowbench");
        Files.writeString(pf, "{}");
        r = cli("recall", out.resolve("metrics.json").toString(), "--out", pf.toString());
        assertEquals("2", r[0]);
        assertEquals("{}", Files.readString(pf));
    }

    private static List<Integer> pixels(Path png) throws Exception {
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        List<Integer> out = new java.util.ArrayList<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                out.add(img.getRaster().getSample(x, y, 0));
            }
        }
        return out;
    }
}
