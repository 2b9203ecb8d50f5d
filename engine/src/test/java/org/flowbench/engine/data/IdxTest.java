package org.flowbench.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.flowbench.engine.FlowbenchException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path dir;

    static byte[] idx(int type, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.write(new byte[] {0, 0, (byte) type, (byte) dims.length});
        for (int x : dims) {
            d.writeInt(x);
        }
        d.write(data);
        return b.toByteArray();
    }

    static void gz(Path f, byte[] bytes) throws IOException {
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(f))) {
            o.write(bytes);
        }
    }

    @Test
    void readsTinyGzippedDatasetAndScalesToUnitRange() throws IOException {
        byte[] px = new byte[2 * 2 * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 23);
        }
        px[0] = 0;
        px[1] = (byte) 255;
        gz(dir.resolve("train-images-idx3-ubyte.gz"), idx(8, new int[] {2, 2, 3}, px));
        gz(dir.resolve("train-labels-idx1-ubyte.gz"), idx(8, new int[] {2}, new byte[] {9, 3}));
        ImageDataset ds = FashionMnist.load(dir, "train");
        assertEquals(2, ds.size());
        assertArrayEquals(new int[] {1, 2, 3}, ds.shape());
        assertArrayEquals(new int[] {9, 3}, ds.labels());
        assertEquals(-1f, ds.pixels()[0]);
        assertEquals(1f, ds.pixels()[1]);
        assertEquals(46 / 127.5 - 1, ds.pixels()[2], 1e-6);
        assertEquals("Ankle boot", ds.classNames().get(ds.labels()[0]));
    }

    @Test
    void badMagicTruncationAndMismatchAreClearErrors() throws IOException {
        Path bad = dir.resolve("bad.gz");
        byte[] b = idx(8, new int[] {2}, new byte[] {1, 2});
        b[0] = 1;
        gz(bad, b);
        assertTrue(assertThrows(FlowbenchException.class, () -> Idx.read(bad)).getMessage().contains("magic"));
        Path trunc = dir.resolve("trunc.gz");
        gz(trunc, idx(8, new int[] {5}, new byte[] {1, 2}));
        assertTrue(assertThrows(FlowbenchException.class, () -> Idx.read(trunc)).getMessage().contains("truncated"));
        Path type = dir.resolve("type.gz");
        gz(type, idx(0x0D, new int[] {1}, new byte[4]));
        assertTrue(assertThrows(FlowbenchException.class, () -> Idx.read(type)).getMessage().contains("element type"));
        Path notGz = dir.resolve("plain.gz");
        Files.write(notGz, new byte[] {1, 2, 3, 4});
        assertThrows(FlowbenchException.class, () -> Idx.read(notGz));
        gz(dir.resolve("t10k-images-idx3-ubyte.gz"), idx(8, new int[] {3, 1, 1}, new byte[3]));
        gz(dir.resolve("t10k-labels-idx1-ubyte.gz"), idx(8, new int[] {2}, new byte[2]));
        assertTrue(assertThrows(FlowbenchException.class, () -> FashionMnist.load(dir, "test")).getMessage()
                .contains("3 images but 2 labels"));
        assertThrows(FlowbenchException.class, () -> FashionMnist.load(dir.resolve("missing"), "test"));
    }

    @Test
    void realFashionMnistWhenInstalled() {
        Assumptions.assumeTrue(Files.isRegularFile(FashionMnist.DEBIAN_DIR.resolve("t10k-labels-idx1-ubyte.gz")));
        ImageDataset test = FashionMnist.load(null, "test");
        assertEquals(10000, test.size());
        assertArrayEquals(new int[] {1, 28, 28}, test.shape());
        int[] counts = new int[10];
        for (int l : test.labels()) {
            counts[l]++;
        }
        for (int c : counts) {
            assertEquals(1000, c);
        }
        assertEquals(9, test.labels()[0]);
        float min = 1;
        float max = -1;
        for (float v : test.pixels()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(-1f, min);
        assertEquals(1f, max);
    }

    @Test
    void epochOrderIsAPermutationPerEpochAndPure() {
        EpochOrder o = new EpochOrder(10, 4, 3);
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        int[] a = o.indices(1);
        int[] b = o.indices(2);
        int[] c = o.indices(3);
        for (int i = 0; i < 4; i++) {
            seen.add(a[i]);
            seen.add(b[i]);
        }
        seen.add(c[0]);
        seen.add(c[1]);
        assertEquals(10, seen.size());
        assertArrayEquals(b, new EpochOrder(10, 4, 3).indices(2));
    }
}
