package org.flowbench.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.model.FeatureExtractor;
import org.junit.jupiter.api.Test;

/** The torchscript: extractor against the committed fixture and the features PyTorch computed for it. */
class TorchScriptFeaturesTest {
    private static Path fixture(String name) throws Exception {
        return Path.of(TorchScriptFeaturesTest.class.getResource(name).toURI());
    }

    /** The probe input of scripts/make_torchscript_fixture.py, in [−1, 1] so that quantisation restores it. */
    private static double[] probe(int n, int c, int h, int w) {
        double[] x = new double[n * c * h * w];
        int at = 0;
        for (int s = 0; s < n; s++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        int u = (s * 31 + ch * 7 + i * 13 + j * 3) % 256;
                        x[at++] = u / 255.0 * 2 - 1;
                    }
                }
            }
        }
        return x;
    }

    @Test
    void matchesPyTorchOnTheFixture() throws Exception {
        JsonNode expected = Json.MAPPER.readTree(fixture("tiny-features-expected.json").toFile()).get("features");
        for (int hw : new int[] {8, 12}) {
            try (TorchScriptFeatures fx = (TorchScriptFeatures) FeatureExtractors.resolve(
                    "torchscript:" + fixture("tiny-features.pt"), new int[] {3, hw, hw})) {
                assertEquals(6, fx.dim());
                assertEquals("torchscript:tiny-features.pt", fx.id());
                assertEquals(64, fx.hash().length());
                double[] out = new double[2 * 6];
                fx.features(probe(2, 3, hw, hw), 2, out);
                JsonNode rows = expected.get(hw + "x" + hw);
                for (int s = 0; s < 2; s++) {
                    for (int k = 0; k < 6; k++) {
                        assertEquals(rows.get(s).get(k).asDouble(), out[s * 6 + k], 1e-5, hw + "x" + hw + " s" + s + " k" + k);
                    }
                }
            }
        }
    }

    @Test
    void grayscaleIsReplicatedToRgbAndResizeIsBilinear() throws Exception {
        String spec = "torchscript:" + fixture("tiny-features.pt");
        double[] gray = probe(3, 1, 8, 8);
        double[] rgb = new double[3 * 3 * 64];
        for (int s = 0; s < 3; s++) {
            for (int c = 0; c < 3; c++) {
                System.arraycopy(gray, s * 64, rgb, (s * 3 + c) * 64, 64);
            }
        }
        try (TorchScriptFeatures g = (TorchScriptFeatures) FeatureExtractors.resolve(spec, new int[] {1, 8, 8});
             TorchScriptFeatures c = (TorchScriptFeatures) FeatureExtractors.resolve(spec, new int[] {3, 8, 8})) {
            double[] a = new double[18];
            double[] b = new double[18];
            g.features(gray, 3, a);
            c.features(rgb, 3, b);
            assertArrayEquals(b, a, 0.0);
            assertEquals(g.hash(), c.hash());
        }
        // resize in Java (?size=8 from 12×12) vs. the network's own internal bilinear resize: same interpolation
        JsonNode expected = Json.MAPPER.readTree(fixture("tiny-features-expected.json").toFile()).get("features").get("12x12");
        try (TorchScriptFeatures r = (TorchScriptFeatures) FeatureExtractors.resolve(spec + "?size=8", new int[] {3, 12, 12})) {
            double[] out = new double[12];
            r.features(probe(2, 3, 12, 12), 2, out);
            for (int k = 0; k < 6; k++) {
                assertEquals(expected.get(0).get(k).asDouble(), out[k], 1e-5, "k" + k);
            }
            assertEquals("uint8-round,gray-to-rgb,bilinear-8,nchw-0-255", r.preprocessing());
        }
    }

    @Test
    void quantisationRoundsAndClamps() {
        assertEquals(0, TorchScriptFeatures.quantise(-1.5));
        assertEquals(255, TorchScriptFeatures.quantise(1.0));
        assertEquals(128, TorchScriptFeatures.quantise(0.0039215686 * 0.5 + 0.0)); // 127.5 + ~0.06 → 128
        assertEquals(64, TorchScriptFeatures.quantise(64 / 255.0 * 2 - 1));
    }

    @Test
    void identityAndErrors() {
        FeatureExtractor id = FeatureExtractors.resolve("identity", new int[] {2});
        assertEquals(2, id.dim());
        double[] out = new double[4];
        id.features(new double[] {1, 2, 3, 4}, 2, out);
        assertArrayEquals(new double[] {1, 2, 3, 4}, out);
        assertThrows(FlowbenchException.class, () -> FeatureExtractors.resolve("nope", new int[] {2}));
        assertThrows(FlowbenchException.class, () -> FeatureExtractors.resolve("torchscript:/no/such.pt", new int[] {1, 8, 8}));
    }
}
