package org.flowbench.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import java.util.SplittableRandom;

/** Layer functions over {@link NDParams} and their parameter declarations (PyTorch-style default init). */
public final class Layers {
    private Layers() {}

    public static void declareConv(ParamStore s, String name, int cin, int cout, int k, SplittableRandom rng, double scale) {
        s.uniform(name + ".weight", new int[] {cout, cin, k, k}, cin * k * k, scale, rng);
        s.uniform(name + ".bias", new int[] {cout}, cin * k * k, scale, rng);
    }

    public static void declareLinear(ParamStore s, String name, int in, int out, SplittableRandom rng, boolean bias) {
        s.uniform(name + ".weight", new int[] {out, in}, in, 1.0, rng);
        if (bias) {
            s.uniform(name + ".bias", new int[] {out}, in, 1.0, rng);
        }
    }

    public static void declareNorm(ParamStore s, String name, int c) {
        s.constant(name + ".weight", new int[] {c}, 1f);
        s.constant(name + ".bias", new int[] {c}, 0f);
    }

    /** 'same' convolution for odd k. */
    public static NDArray conv(NDParams p, String name, NDArray x) {
        NDArray w = p.get(name + ".weight");
        int pad = (int) (w.getShape().get(2) / 2);
        return Conv2d.conv2d(x, w, p.get(name + ".bias"), new Shape(1, 1), new Shape(pad, pad), new Shape(1, 1), 1)
                .singletonOrThrow();
    }

    public static NDArray linear(NDParams p, String name, NDArray x) {
        NDArray b = p.arrays().get(name + ".bias");
        return b == null ? Linear.linear(x, p.get(name + ".weight")).singletonOrThrow()
                : Linear.linear(x, p.get(name + ".weight"), b).singletonOrThrow();
    }

    /** Group normalisation over (C/G, H, W) per group, eps 1e-5, then per-channel affine. */
    public static NDArray groupNorm(NDParams p, String name, NDArray x, int groups) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        NDArray y = x.reshape(n, groups, -1);
        NDArray mean = y.mean(new int[] {2}, true);
        NDArray centered = y.sub(mean);
        NDArray var = centered.square().mean(new int[] {2}, true);
        y = centered.div(var.add(1e-5f).sqrt()).reshape(s);
        return y.mul(p.reshaped(name + ".weight", 1, c, 1, 1)).add(p.reshaped(name + ".bias", 1, c, 1, 1));
    }

    public static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    public static NDArray relu(NDArray x) {
        return Activation.relu(x);
    }

    public static NDArray avgPool2(NDArray x) {
        return Pool.avgPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
    }

    public static NDArray maxPool2(NDArray x) {
        return Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
    }

    /** Nearest-neighbour ×2 upsampling with repeat (the engine has no transposed convolution). */
    public static NDArray upsample2(NDArray x) {
        return x.repeat(2, 2).repeat(3, 2);
    }

    public static NDArray concatChannels(NDArray a, NDArray b) {
        return NDArrays.concat(new ai.djl.ndarray.NDList(a, b), 1);
    }
}
