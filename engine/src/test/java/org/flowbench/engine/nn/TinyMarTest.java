package org.flowbench.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The tiny MAR's contracts: patches round-trip, the head starts at zero (its modulations and output are
 * zero-initialised), a masked token's value cannot reach any context (it is neither key nor value of the encoder),
 * a known token's value reaches the contexts of the others, and the class changes them.
 */
class TinyMarTest {
    private static final TinyMar NET = new TinyMar(28, 4, 32, 4, 1, 32, 2, 10);

    @Test
    void patchesRoundTrip() {
        float[] img = new float[2 * 784];
        for (int i = 0; i < img.length; i++) {
            img[i] = i;
        }
        float[] tokens = NET.tokenize(img, 2);
        assertEquals(0f, tokens[0]);
        assertEquals(1f, tokens[1]);
        assertEquals(28f, tokens[4], "the second row of the first patch");
        double[] back = NET.untokenize(toDouble(tokens), 2);
        for (int i = 0; i < img.length; i++) {
            assertEquals(img[i], back[i], 0);
        }
    }

    @Test
    void headStartsAtZeroAndContextsSeeOnlyKnownTokens() {
        ParamStore w = NET.init(3);
        for (String z : NET.zeroInitialised()) {
            for (float v : w.get(z)) {
                assertEquals(0f, v, z);
            }
        }
        // move every weight off its initial value so that no layer is an identity
        SplittableRandom rng = new SplittableRandom(4);
        for (String n : w.names()) {
            float[] v = w.get(n);
            for (int i = 0; i < v.length; i++) {
                v[i] += (float) (0.2 * rng.nextGaussian());
            }
        }
        int l = NET.tokens();
        int d = NET.tokenDim();
        try (NDManager m = NDManager.newBaseManager()) {
            NDParams p = w.materialize(m, false);
            float[] tok = new float[l * d];
            for (int i = 0; i < tok.length; i++) {
                tok[i] = (float) rng.nextGaussian();
            }
            float[] known = new float[l];
            for (int j = 0; j < l; j += 3) {
                known[j] = 1f;
            }
            float[] base = context(p, m, tok, known, 2);
            float[] maskedChanged = tok.clone();
            maskedChanged[d + 5] += 3f; // token 1 is masked
            assertArrayEquals(base, context(p, m, maskedChanged, known, 2), "a masked token's value leaked");
            float[] knownChanged = tok.clone();
            knownChanged[5] += 3f; // token 0 is known
            float[] moved = context(p, m, knownChanged, known, 2);
            double diff = 0;
            for (int i = NET.contextDim(); i < 2 * NET.contextDim(); i++) { // the context of token 1
                diff = Math.max(diff, Math.abs(moved[i] - base[i]));
            }
            assertTrue(diff > 1e-3, "a known token must reach the others: " + diff);
            float[] otherClass = context(p, m, tok, known, 7);
            assertTrue(Math.abs(otherClass[NET.contextDim()] - base[NET.contextDim()]) > 1e-4, "the class must matter");
            NDArray z = m.create(new float[3 * NET.contextDim()], new Shape(3, NET.contextDim()));
            NDArray v = NET.head(p, m.create(new float[3 * d], new Shape(3, d)), new float[] {0f, 0.5f, 1f}, z);
            assertEquals(new Shape(3, d), v.getShape());
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDParams p = NET.init(3).materialize(m, false);
            NDArray v = NET.head(p, m.ones(new Shape(2, d)), new float[] {0.1f, 0.9f},
                    m.ones(new Shape(2, NET.contextDim())));
            for (float f : v.toFloatArray()) {
                assertEquals(0f, f, "a fresh head predicts zero");
            }
        }
    }

    private static float[] context(NDParams p, NDManager m, float[] tok, float[] known, int label) {
        try (NDManager s = m.newSubManager()) {
            int l = NET.tokens();
            return NET.context(p, s.create(tok, new Shape(1, l, NET.tokenDim())), s.create(known, new Shape(1, l)),
                    new int[] {label}).toFloatArray();
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
