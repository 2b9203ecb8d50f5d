package org.flowbench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'fid' and 'stats' with .npz statistics: --json stays one parseable object, the warning goes to stderr. */
class FidNpzCommandTest {
    @TempDir
    Path dir;

    @Test
    void npzStatisticsInAndOut() throws Exception {
        // statistics of unknown measurement, d = 2: N((0,0), I) against N((3,4), I): FID = 25
        Path a = dir.resolve("a.npz");
        Path b = dir.resolve("b.npz");
        Npz.write(a, Map.of("mu", new Npz.Entry(new int[] {2}, new double[] {0, 0}), "sigma",
                new Npz.Entry(new int[] {2, 2}, new double[] {1, 0, 0, 1})));
        Npz.write(b, Map.of("mu", new Npz.Entry(new int[] {2}, new double[] {3, 4}), "sigma",
                new Npz.Entry(new int[] {2, 2}, new double[] {1, 0, 0, 1})));
        String[] r = CliTests.run("fid", "--a", a.toString(), "--b", b.toString(), "--json");
        assertEquals("0", r[0], r[2]);
        JsonNode j = Json.MAPPER.readTree(r[1].trim());
        assertEquals(25.0, j.path("fid").asDouble(), 1e-12);
        assertTrue(j.path("nA").isNull(), "no sample count in the .npz");
        assertTrue(r[2].contains("warning") && r[2].contains("does not say how its features were made"), r[2]);

        // stats --out x.npz writes mu, sigma, n; fid reads it against the .npy it came from
        Path x = dir.resolve("x.npy");
        org.flowbench.engine.io.Npy.writeFloat32(x, new int[] {4, 2}, new double[] {0, 0, 1, 0, 0, 1, 1, 1});
        Path s = dir.resolve("x.npz");
        String[] st = CliTests.run("stats", "--in", x.toString(), "--features", "identity", "--out", s.toString());
        assertEquals("0", st[0], st[2]);
        assertEquals(4.0, Npz.read(s).get("n").data()[0]);
        String[] f = CliTests.run("fid", "--a", s.toString(), "--b", x.toString(), "--features", "identity",
                "--json");
        assertEquals("0", f[0], f[2]);
        assertEquals(0.0, Json.MAPPER.readTree(f[1].trim()).path("fid").asDouble(), 1e-9);
    }
}
