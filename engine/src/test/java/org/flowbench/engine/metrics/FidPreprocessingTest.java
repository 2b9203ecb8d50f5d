package org.flowbench.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.flowbench.engine.io.Npy;
import org.flowbench.engine.model.FeatureExtractor;
import org.junit.jupiter.api.Test;

/**
 * clean-fid's "clean" and pytorch-fid's "legacy" preprocessing against the tools themselves: the fixture was made with
 * Debian's python3-pil (PIL's bicubic resize in float mode) and python3-torch (bilinear interpolate), see
 * scripts/make_clean_resize_fixture.py.
 */
class FidPreprocessingTest {
    static Npy.Array fixture(String name) throws Exception {
        return Npy.read(Path.of(FidPreprocessingTest.class.getResource(name).toURI()));
    }

    /** The worst absolute difference of two arrays and of their values rounded to grey levels. */
    static double[] worst(double[] a, double[] b) {
        assertEquals(a.length, b.length);
        double raw = 0;
        double levels = 0;
        for (int i = 0; i < a.length; i++) {
            raw = Math.max(raw, Math.abs(a[i] - b[i]));
            levels = Math.max(levels, Math.abs(Math.rint(a[i]) - Math.rint(b[i])));
        }
        return new double[] {raw, levels};
    }

    @Test
    void cleanModeIsPilsBicubicResizeOfTruncatedImages() throws Exception {
        Npy.Array images = fixture("resize-images.npy");
        for (int size : new int[] {13, 61}) { // shrinking (antialiased support) and enlarging
            Npy.Array expected = fixture("resize-clean-" + size + ".npy");
            for (int k = 0; k < 3; k++) {
                float[] u8 = new float[28 * 28];
                for (int i = 0; i < u8.length; i++) {
                    u8[i] = (float) TorchScriptFeatures.truncate(images.data()[k * 784 + i]);
                }
                float[] r = PilResize.resize(u8, 28, 28, size, size);
                double[] got = new double[r.length];
                double[] want = new double[r.length];
                for (int i = 0; i < r.length; i++) {
                    got[i] = Math.max(0, Math.min(255, r[i]));
                    want[i] = expected.data()[k * size * size + i];
                }
                double[] w = worst(got, want);
                assertTrue(w[0] < 1e-3, "image " + k + " at " + size + ": max |Δ| " + w[0]);
                assertTrue(w[1] <= 1, "image " + k + " at " + size + ": " + w[1] + " grey levels");
            }
        }
    }

    @Test
    void truncationKeepsTheLevelsOfImagesThatAreAlready8Bit() {
        for (int u = 0; u <= 255; u++) {
            assertEquals(u, TorchScriptFeatures.truncate(u / 127.5 - 1), "level " + u);
            assertEquals(u, TorchScriptFeatures.truncate((float) (u / 127.5 - 1)), "level " + u + " in float32");
        }
        assertEquals(127, TorchScriptFeatures.truncate(0.0)); // 127.5 truncates, where rounding gives 128
    }

    @Test
    void legacyModeIsTorchBilinearWithHalfPixelCentres() throws Exception {
        Npy.Array images = fixture("resize-images.npy");
        Npy.Array expected = fixture("resize-legacy-61.npy");
        for (int k = 0; k < 3; k++) {
            double[] q = new double[784];
            for (int i = 0; i < q.length; i++) {
                q[i] = TorchScriptFeatures.quantise(images.data()[k * 784 + i]);
            }
            double[] got = TorchScriptFeatures.resizeBilinear(q, 28, 28, 61, 61, new double[61 * 61]);
            double[] want = java.util.Arrays.copyOfRange(expected.data(), k * 3721, (k + 1) * 3721);
            assertTrue(worst(got, want)[0] < 1e-3, "image " + k + ": max |Δ| " + worst(got, want)[0]);
        }
    }

    @Test
    void theWholeCleanPipelineThroughATorchScriptNetworkGivesPythonsFeatures() throws Exception {
        Npy.Array images = fixture("resize-images.npy");
        Npy.Array expected = fixture("resize-clean-features.npy");
        String spec = "torchscript:" + Path.of(FidPreprocessingTest.class.getResource("tiny-features.pt").toURI())
                + "?mode=clean";
        FeatureExtractor fx = FeatureExtractors.resolve(spec, new int[] {1, 28, 28});
        try {
            assertEquals("uint8-truncate,gray-to-rgb,pil-bicubic-299,clip-0-255,nchw-0-255", fx.preprocessing());
            double[] out = new double[3 * fx.dim()];
            fx.features(images.data(), 3, out);
            assertArrayEquals(expected.data(), out, 1e-4);
        } finally {
            ((AutoCloseable) fx).close();
        }
    }
}
