package org.flowbench.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The UNet compiled to ONNX computes what the op-by-op network computes, for every class, the null class and times
 * across [0, 1], with weights far from their initial values (every layer random, so that no layer is an identity);
 * and its batch split is reproducible bit for bit and agrees with an unsplit call to float32 rounding.
 */
class CompiledNetworkTest {
    private static final int N = 13;
    private static NDManager manager;
    private static FlowUNet net;
    private static NDParams params;
    private static float[] x;
    private static float[] t;
    private static int[] labels;

    @BeforeAll
    static void setUp() {
        net = new FlowUNet(16, 32, 48, 64, 10, 1000.0);
        ParamStore w = net.init(5);
        SplittableRandom rng = new SplittableRandom(11);
        for (String name : w.names()) {
            float[] v = w.get(name);
            boolean normScale = name.contains("norm") && name.endsWith(".weight");
            for (int i = 0; i < v.length; i++) {
                v[i] = normScale ? (float) (0.5 + rng.nextDouble()) : (float) ((rng.nextDouble() - 0.5) * 0.4);
            }
        }
        manager = NDManager.newBaseManager();
        params = w.materialize(manager, false);
        x = new float[N * 784];
        t = new float[N];
        labels = new int[N];
        for (int i = 0; i < N; i++) {
            t[i] = (float) rng.nextDouble();
            labels[i] = i - 1; // −1 (null), 0..9, 10 (null), 11 (out of range: null)
            for (int k = 0; k < 784; k++) {
                x[i * 784 + k] = (float) rng.nextGaussian();
            }
        }
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    private static float[] compiled(int threads) {
        try (CompiledNetwork c = CompiledNetwork.compile(net.toOnnx(params, 28, 28), threads, "x", "args", "labels")) {
            return c.run(x, new long[] {1, 28, 28}, net.timeArguments(t), 32, net.graphLabels(labels, N), N);
        }
    }

    @Test
    void compiledNetworkEqualsTheOpByOpNetwork() {
        float[] expected;
        try (NDManager sub = manager.newSubManager()) {
            expected = net.forward(params, sub.create(x, new Shape(N, 1, 28, 28)), t, labels).toFloatArray();
        }
        float[] got = compiled(1);
        double diff = 0;
        double scale = 0;
        for (int k = 0; k < got.length; k++) {
            diff = Math.max(diff, Math.abs(got[k] - expected[k]));
            scale = Math.max(scale, Math.abs(expected[k]));
        }
        assertTrue(scale > 0.1, "the test network must not be trivial: max |v| = " + scale);
        assertTrue(diff <= 1e-5 * (1 + scale), "max |compiled − op by op| = " + diff + " at scale " + scale);
    }

    @Test
    void batchSplitIsReproducibleAndAgreesWithOneCall() {
        float[] one = compiled(1);
        float[] three = compiled(3);
        assertArrayEquals(three, compiled(3), "the same split twice");
        for (int k = 0; k < one.length; k++) {
            assertTrue(Math.abs(one[k] - three[k]) <= 1e-5 * (1 + Math.abs(one[k])),
                    "value " + k + ": " + one[k] + " unsplit, " + three[k] + " in three parts");
        }
    }
}
