package org.flowbench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.flowbench.engine.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Output that would be silently wrong is refused: non-finite samples, statistics of fewer than 2 samples. */
class SilentWrongOutputTest {
    @TempDir
    Path dir;

    @Test
    void nonFiniteSamplesFailUnlessAllowed() throws Exception {
        Path spec = dir.resolve("huge.json");
        Files.writeString(spec, "{\"type\":\"gaussian-mixture\",\"path\":\"rectified-flow\",\"weights\":[1],"
                + "\"means\":[[1e308,0]],\"stds\":[1]}");
        Path out = dir.resolve("x.npy");
        String[] r = CliTests.run("sample", "--model", spec.toString(), "--sampler", "heun", "--steps", "4", "--n", "3",
                "--quiet", "--out", out.toString());
        assertEquals("1", r[0], r[2]);
        assertTrue(r[2].contains("image 0 has a non-finite value"), r[2]);
        assertTrue(Files.notExists(out), "nothing written");
        String[] allowed = CliTests.run("sample", "--model", spec.toString(), "--sampler", "heun", "--steps", "4",
                "--n", "3", "--quiet", "--allow-nan", "--out", out.toString());
        assertEquals("0", allowed[0], allowed[2]);
        assertTrue(Files.exists(out));
    }

    @Test
    void fidAndStatsRefuseFewerThanTwoSamples() throws Exception {
        Path one = dir.resolve("one.npy");
        Npy.writeFloat32(one, new int[] {1, 2}, new double[] {0.5, -0.5});
        Path two = dir.resolve("two.npy");
        Npy.writeFloat32(two, new int[] {2, 2}, new double[] {0.5, -0.5, 1, 2});
        String[] fid = CliTests.run("fid", "--a", one.toString(), "--b", two.toString(), "--features", "identity");
        assertEquals("2", fid[0], fid[2]);
        assertTrue(fid[2].contains("holds 1 sample; FID and statistics need at least 2"), fid[2]);
        Path stats = dir.resolve("s.stats");
        String[] st = CliTests.run("stats", "--in", one.toString(), "--features", "identity", "--out", stats.toString());
        assertEquals("2", st[0], st[2]);
        assertTrue(Files.notExists(stats), "no statistics written");
    }
}
