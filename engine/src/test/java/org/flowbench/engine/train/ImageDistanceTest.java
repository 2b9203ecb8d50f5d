package org.flowbench.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Map;
import java.util.SplittableRandom;
import org.flowbench.engine.nn.ClassifierCnn;
import org.flowbench.engine.nn.NDParams;
import org.flowbench.engine.nn.ParamStore;
import org.junit.jupiter.api.Test;

/** The distances of one-step distillation: L2 per image, and the LPIPS-style classifier distance's properties. */
class ImageDistanceTest {
    @Test
    void l2IsThePerImageMeanSquare() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {0, 0, 0, 0, 1, 2, 3, 4}, new Shape(2, 1, 2, 2));
            NDArray b = m.create(new float[] {1, 1, 1, 1, 1, 2, 3, 6}, new Shape(2, 1, 2, 2));
            float[] d = ImageDistance.l2().perImage(Map.of(), a, b).toFloatArray();
            assertEquals(1.0f, d[0], 1e-6);
            assertEquals(1.0f, d[1], 1e-6);
        }
    }

    @Test
    void classifierPerceptualIsASymmetricBoundedDistanceWithFiniteGradients() {
        ClassifierCnn net = new ClassifierCnn(10);
        ParamStore w = net.init(3);
        ImageDistance lp = ImageDistance.classifierPerceptual(net, "perceptual", 0);
        ImageDistance withL2 = ImageDistance.classifierPerceptual(net, "perceptual", 1);
        SplittableRandom rng = new SplittableRandom(4);
        float[] xa = new float[3 * 784];
        float[] xb = new float[3 * 784];
        for (int i = 0; i < xa.length; i++) {
            xa[i] = (float) rng.nextGaussian();
            xb[i] = (float) rng.nextGaussian();
        }
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDParams> p = Map.of("perceptual", w.materialize(m, false));
            Shape s = new Shape(3, 1, 28, 28);
            NDArray a = m.create(xa, s);
            NDArray b = m.create(xb, s);
            float[] ab = lp.perImage(p, a, b).toFloatArray();
            float[] ba = lp.perImage(p, b, a).toFloatArray();
            float[] aa = lp.perImage(p, a, a).toFloatArray();
            float[] ab2 = withL2.perImage(p, a, b).toFloatArray();
            float[] l2 = ImageDistance.l2().perImage(p, a, b).toFloatArray();
            for (int i = 0; i < 3; i++) {
                assertEquals(0f, aa[i], 1e-6f);
                assertEquals(ab[i], ba[i], 1e-5f * ab[i]);
                // four layers of unit vectors: each term is at most 4
                assertTrue(ab[i] > 0 && ab[i] <= 16, "d = " + ab[i]);
                assertEquals(ab[i] + l2[i], ab2[i], 1e-4f * ab2[i]);
            }
            // a black image (every ReLU may be dead) still has finite gradients
            NDArray dark = m.full(new Shape(1, 1, 28, 28), -50f);
            dark.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(lp.perImage(p, dark, b.get("0:1")).sum());
            }
            for (float g : dark.getGradient().toFloatArray()) {
                assertTrue(Float.isFinite(g));
            }
        }
    }
}
