package org.flowbench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flowbench stats} and {@code flowbench fid} end to end on the F8 samples and on mismatches. */
class FidCommandTest {
    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FlowbenchCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void statsAndFidAgreeWithTheKnownAnswer(@TempDir Path dir) throws Exception {
        Path x = dir.resolve("x.npy");
        Path y = dir.resolve("y.npy");
        Npy.writeFloat64(x, new int[] {4, 2}, new double[] {1, 2, 3, 4, 5, 7, 0, 1});
        Npy.writeFloat64(y, new int[] {5, 2}, new double[] {2, 2, 2, 5, 6, 6, 1, 0, 3, 3});
        Result direct = run("fid", "--a", x.toString(), "--b", y.toString(), "--features", "identity", "--json");
        assertEquals(0, direct.code(), direct.err());
        JsonNode j = Json.MAPPER.readTree(direct.out());
        assertEquals(1.397406918459, j.get("fid").asDouble(), 1e-11);
        assertEquals(4, j.get("nA").asInt());
        assertEquals(5, j.get("nB").asInt());

        Path ref = dir.resolve("x.stats");
        Result st = run("stats", "--in", x.toString(), "--features", "identity", "--out", ref.toString(), "--dataset", "f8");
        assertEquals(0, st.code(), st.err());
        Result viaStats = run("fid", "--a", ref.toString(), "--b", y.toString(), "--features", "identity");
        assertEquals(0, viaStats.code(), viaStats.err());
        assertTrue(viaStats.out().startsWith("FID 1.397407  (N_a = 4, N_b = 5, d = 2, features identity)"), viaStats.out());

        Result withKid = run("fid", "--a", x.toString(), "--b", y.toString(), "--features", "identity", "--kid",
                "--bootstrap", "20");
        assertEquals(0, withKid.code(), withKid.err());
        assertTrue(withKid.out().contains("KID ") && withKid.out().contains("(100 subsets of 4;"), withKid.out());
        assertTrue(withKid.out().contains("bootstrap interval") && withKid.out().contains("B = 20"), withKid.out());
    }

    @Test
    void mismatchesAreOneLineErrors(@TempDir Path dir) throws Exception {
        Path x = dir.resolve("x.npy");
        Path z = dir.resolve("z.npy");
        Npy.writeFloat64(x, new int[] {4, 2}, new double[] {1, 2, 3, 4, 5, 7, 0, 1});
        Npy.writeFloat64(z, new int[] {3, 3}, new double[] {1, 2, 3, 4, 5, 7, 0, 1, 2});
        Result dim = run("fid", "--a", x.toString(), "--b", z.toString(), "--features", "identity");
        assertEquals(2, dim.code());
        assertEquals(1, dim.err().strip().lines().count(), dim.err());
        assertTrue(dim.err().contains("feature dimensions differ: 2 vs 3"), dim.err());

        Path ref = dir.resolve("x.stats");
        assertEquals(0, run("stats", "--in", x.toString(), "--features", "identity", "--out", ref.toString()).code());
        Path other = dir.resolve("fake.pt");
        java.nio.file.Files.writeString(other, "not a network");
        Result kidOnStats = run("fid", "--a", ref.toString(), "--b", x.toString(), "--features", "identity", "--kid");
        assertEquals(2, kidOnStats.code());
        assertTrue(kidOnStats.err().contains("--kid needs samples"), kidOnStats.err());
        Result shape = run("fid", "--a", ref.toString(), "--b", x.toString(), "--features", "torchscript:" + other);
        assertEquals(2, shape.code());
        assertTrue(shape.err().contains("need images of shape"), shape.err());
        Path img = dir.resolve("img.npy");
        Npy.writeFloat32(img, new int[] {2, 1, 4, 4}, new double[32]);
        Result bad = run("fid", "--a", img.toString(), "--b", img.toString(), "--features", "torchscript:" + other);
        assertEquals(2, bad.code());
        assertTrue(bad.err().startsWith("flowbench: cannot load TorchScript network"), bad.err());
        Result notStats = run("fid", "--a", other.toString(), "--b", x.toString(), "--features", "identity");
        assertEquals(2, notStats.code());
        assertTrue(notStats.err().contains("not a .npy file"), notStats.err());
    }

    @Test
    void imageFoldersAreReadAndTheirQuantisationIsPartOfTheIdentity(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        java.nio.file.Files.createDirectories(a);
        java.nio.file.Files.createDirectories(b);
        // 6 gray 2×2 images per set; pixel values v map to v/255·2 − 1
        double[] expectA = new double[6 * 4];
        for (int i = 0; i < 6; i++) {
            for (Path folder : new Path[] {a, b}) {
                java.awt.image.BufferedImage im = new java.awt.image.BufferedImage(2, 2,
                        java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
                for (int p = 0; p < 4; p++) {
                    int v = folder == a ? (i * 37 + p * 11) % 256 : (i * 53 + p * 29 + 7) % 256;
                    im.getRaster().setSample(p % 2, p / 2, 0, v);
                    if (folder == a) {
                        expectA[i * 4 + p] = v / 255.0 * 2 - 1;
                    }
                }
                javax.imageio.ImageIO.write(im, "png", folder.resolve(String.format("img%02d.png", i)).toFile());
            }
        }
        Result r = run("fid", "--a", a.toString(), "--b", b.toString(), "--features", "identity", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = Json.MAPPER.readTree(r.out());
        assertEquals("uint8", j.get("quantisation").asText());
        assertEquals(6, j.get("nA").asInt());
        // the same pixels as a float NPY give the same FID (a vs a = 0) but a different identity: refused
        Path npy = dir.resolve("a.npy");
        Npy.writeFloat64(npy, new int[] {6, 1, 2, 2}, expectA);
        Result mixed = run("fid", "--a", a.toString(), "--b", npy.toString(), "--features", "identity");
        assertEquals(2, mixed.code());
        assertTrue(mixed.err().contains("quantisation differs ('uint8' vs 'float')"), mixed.err());
        Path ref = dir.resolve("a.stats");
        assertEquals(0, run("stats", "--in", a.toString(), "--features", "identity", "--out", ref.toString()).code());
        Result self = run("fid", "--a", ref.toString(), "--b", a.toString(), "--features", "identity", "--json");
        assertEquals(0, self.code(), self.err());
        // near-singular covariance (pixels nearly linear in the index): FD noise floor ~ √eps·‖Σ‖
        assertEquals(0.0, Json.MAPPER.readTree(self.out()).get("fid").asDouble(), 1e-6);
        // generated float samples against 8-bit statistics are quantised as the statistics declare: values within
        // half a level (1/255) of the pixels land on the same levels, so the FID is 0 and the identity matches;
        // unquantised, the shift of 0.0035 per pixel alone would add 4·0.0035² ≈ 4.9e-5
        double[] near = expectA.clone();
        for (int i = 0; i < near.length; i++) {
            near[i] = Math.min(1, near[i] + 0.0035);
        }
        Path gen = dir.resolve("gen.npy");
        Npy.writeFloat64(gen, new int[] {6, 1, 2, 2}, near);
        Result q = run("fid", "--a", ref.toString(), "--b", gen.toString(), "--features", "identity", "--json");
        assertEquals(0, q.code(), q.err());
        JsonNode qj = Json.MAPPER.readTree(q.out());
        assertEquals("uint8", qj.get("quantisation").asText());
        assertEquals(0.0, qj.get("fid").asDouble(), 1e-6);
    }
}
