package org.flowbench.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleCommandTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FlowbenchCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void sameSeedGivesByteIdenticalFilesWhateverTheBatch() throws Exception {
        Path a = dir.resolve("a.npy");
        Path b = dir.resolve("b.npy");
        Path c = dir.resolve("c.npy");
        for (String sampler : new String[] {"heun", "rk45", "euler-maruyama"}) {
            String steps = sampler.equals("rk45") ? "rtol=1e-4" : "steps=20";
            assertEquals(0, cli("sample", "--model", "builtin:3modes", "--sampler", sampler, "--param", steps, "--n", "500",
                    "--batch", "500", "--seed", "9", "--out", a.toString(), "--quiet").code());
            assertEquals(0, cli("sample", "--model", "builtin:3modes", "--sampler", sampler, "--param", steps, "--n", "500",
                    "--batch", "500", "--seed", "9", "--out", b.toString(), "--quiet").code());
            assertEquals(0, cli("sample", "--model", "builtin:3modes", "--sampler", sampler, "--param", steps, "--n", "500",
                    "--batch", "1", "--seed", "9", "--out", c.toString(), "--quiet").code());
            assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), sampler + ": same seed twice");
            assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(c), sampler + ": --batch 1 vs --batch 500");
        }
    }

    @Test
    void writesShapeAndManifest() throws Exception {
        Path f = dir.resolve("x.npy");
        Path m = dir.resolve("run.json");
        Result r = cli("sample", "--model", "builtin:2modes", "--sampler", "euler", "--steps", "8", "--param",
                "grid=edm", "--n", "10", "--seed", "3", "--prompt", "left", "--out", f.toString(), "--manifest",
                m.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        Npy.Array a = Npy.read(f);
        assertArrayEquals(new int[] {10, 2}, a.shape());
        assertTrue(a.wasFloat32());
        for (int i = 0; i < 10; i++) {
            assertTrue(a.data()[i * 2] < 0, "prompt 'left' must give the left mode");
        }
        JsonNode j = Json.MAPPER.readTree(Files.readString(m));
        assertEquals("euler", j.get("sampler").asText());
        assertEquals("edm", j.get("params").get("grid").asText());
        assertEquals(8, j.get("params").get("steps").asInt());
        assertEquals(3, j.get("seed").asInt());
        assertEquals(8.0, j.get("nfePerImage").asDouble());
        assertEquals(9, j.get("times").size());
        assertEquals(0, j.get("labels").get(0).asInt());
    }

    @Test
    void badInputGivesOneLineAndNonZeroExit() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"type\":\"gaussian-mixture\",\"weights\":[1],\"means\":[[0]]}");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{not json");
        String out = dir.resolve("x.npy").toString();
        String[][] cases = {
            {"sample", "--model", "builtin:3modes", "--sampler", "nope", "--out", out},
            {"sample", "--model", "builtin:3modes", "--sampler", "euler", "--param", "steps=0", "--out", out},
            {"sample", "--model", "builtin:3modes", "--sampler", "euler", "--param", "steps=abc", "--out", out},
            {"sample", "--model", "builtin:3modes", "--sampler", "euler", "--param", "bogus=1", "--out", out},
            {"sample", "--model", "builtin:3modes", "--sampler", "euler", "--param", "novalue", "--out", out},
            {"sample", "--model", "builtin:missing", "--sampler", "euler", "--out", out},
            {"sample", "--model", bad.toString(), "--sampler", "euler", "--out", out},
            {"sample", "--model", broken.toString(), "--sampler", "euler", "--out", out},
            {"sample", "--model", dir.resolve("nofile.json").toString(), "--sampler", "euler", "--out", out},
            {"sample", "--model", "builtin:3modes", "--sampler", "euler", "--n", "0", "--out", out},
            {"sample", "--model", "builtin:3modes", "--sampler", "euler", "--prompt", "cat", "--out", out},
            {"sample", "--model", "builtin:2modes", "--sampler", "euler", "--prompt", "cat", "--out", out},
            {"sample", "--model", "builtin:3modes", "--sampler", "euler", "--out", dir.resolve("x.txt").toString()},
            {"sample", "--model", "builtin:3modes", "--sampler", "euler"},
            {"sample", "--model", "builtin:3modes", "--sampler", "euler", "--n", "ten", "--out", out},
            {"frobnicate"},
        };
        for (String[] c : cases) {
            Result r = cli(c);
            assertTrue(r.code() != 0, String.join(" ", c));
            String[] lines = r.err().strip().split("\n");
            assertTrue(lines[0].startsWith("flowbench: "), String.join(" ", c) + " → " + r.err());
            assertTrue(lines.length <= 2, String.join(" ", c) + " → " + r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
        assertFalse(Files.exists(dir.resolve("x.npy")), "failed runs write nothing");
    }

    @Test
    void versionAndModels() {
        Result v = cli("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().contains("DJL 0.36.0"), v.out());
        Result m = cli("models");
        assertEquals(0, m.code());
        assertTrue(m.out().contains("builtin:3modes"));
        assertTrue(m.out().contains("builtin:8ring"));
    }
}
