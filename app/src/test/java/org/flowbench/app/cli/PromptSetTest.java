package org.flowbench.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flowbench.engine.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prompt sets on the command line: 'all' gives image i class i mod C, a list goes in turn, batch-invariantly. */
class PromptSetTest {
    @TempDir
    Path dir;

    private JsonNode sample(String prompt, int batch, String name) throws Exception {
        String[] r = CliTests.run("sample", "--model", "builtin:8ring", "--steps", "6", "--n", "20", "--batch",
                Integer.toString(batch), "--prompt", prompt, "--quiet", "--out", dir.resolve(name + ".npy").toString(),
                "--manifest", dir.resolve(name + ".json").toString());
        assertEquals("0", r[0], r[2]);
        return Json.MAPPER.readTree(dir.resolve(name + ".json").toFile());
    }

    @Test
    void allGivesEveryClassInTurnByImageIndexWhateverTheBatch() throws Exception {
        JsonNode a = sample("all", 20, "a");
        JsonNode b = sample("all", 3, "b");
        for (int i = 0; i < 20; i++) {
            assertEquals(i % 8, a.path("labels").get(i).asInt(), "image " + i);
        }
        assertTrue(a.path("prompts").asText().startsWith("all 8 classes in turn"), a.toString());
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.npy")), Files.readAllBytes(dir.resolve("b.npy")),
                "the same images whatever the batch");
    }

    @Test
    void aListGoesInTurnAndAnUnknownPromptIsOneLine() throws Exception {
        JsonNode m = sample("class 1, class 3", 7, "l");
        for (int i = 0; i < 20; i++) {
            assertEquals(i % 2 == 0 ? 1 : 3, m.path("labels").get(i).asInt(), "image " + i);
        }
        String[] r = CliTests.run("sample", "--model", "builtin:8ring", "--n", "2", "--prompt", "class 1, giraffe",
                "--out", dir.resolve("x.npy").toString());
        assertEquals("2", r[0]);
        assertEquals(1, r[2].strip().lines().count(), r[2]);
        assertTrue(r[2].contains("'giraffe'"), r[2]);
        String[] none = CliTests.run("sample", "--model", "builtin:3modes", "--n", "2", "--prompt", "all",
                "--out", dir.resolve("y.npy").toString());
        assertEquals("2", none[0]);
        assertTrue(none[2].contains("has no classes"), none[2]);
    }
}
