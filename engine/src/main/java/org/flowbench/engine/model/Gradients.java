package org.flowbench.engine.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/**
 * Rewards and their gradients with respect to a generator's input noise, computed on the tensor tier in one batched
 * forward and one backward pass, with {@code double[]} in and out so that callers (samplers, the CLI) need no tensor
 * library. Images are independent, so the gradient of the summed reward is each image's own gradient.
 */
public final class Gradients {
    private Gradients() {}

    /** Per image: the reward, the generated image, and ∇z of the reward (all flattened, image order). */
    public record RewardGradient(double[] reward, double[] image, double[] gradient) {}

    /** r(G(z, c), c) and ∇z r for noises z (n × dim of the generator's shape). */
    public static RewardGradient ofGenerator(OneStepGenerator g, RewardModel r, double[] z, Condition[] c) {
        if (!g.differentiable() || !r.differentiable()) {
            throw new org.flowbench.engine.FlowbenchException("gradients need a differentiable generator and reward");
        }
        return compute(g, r, g.shape(), z, c);
    }

    /** r(x, c) and ∇x r for images x. */
    public static RewardGradient ofReward(RewardModel r, int[] shape, double[] x, Condition[] c) {
        return compute(null, r, shape, x, c);
    }

    /** r(G(z, c), c) per image without gradients (a plain batched evaluation, e.g. for finite differences). */
    public static double[] rewardOfGenerator(OneStepGenerator g, RewardModel r, double[] z, Condition[] c) {
        try (NDManager m = NDManager.newBaseManager(org.flowbench.engine.device.Devices.current())) {
            NDArray za = input(m, g.shape(), z, c.length);
            return toDouble(r.reward(g.generate(za, c), c).toFloatArray());
        }
    }

    private static RewardGradient compute(OneStepGenerator g, RewardModel r, int[] shape, double[] z, Condition[] c) {
        try (NDManager m = NDManager.newBaseManager(org.flowbench.engine.device.Devices.current())) {
            NDArray za = input(m, shape, z, c.length);
            za.setRequiresGradient(true);
            float[] reward;
            float[] image;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray x = g == null ? za : g.generate(za, c);
                NDArray rew = r.reward(x, c);
                reward = rew.toFloatArray();
                image = x.toFloatArray();
                gc.backward(rew.sum());
            }
            return new RewardGradient(toDouble(reward), toDouble(image), toDouble(za.getGradient().toFloatArray()));
        }
    }

    private static NDArray input(NDManager m, int[] shape, double[] z, int n) {
        long[] s = new long[shape.length + 1];
        s[0] = n;
        int d = 1;
        for (int i = 0; i < shape.length; i++) {
            s[i + 1] = shape[i];
            d *= shape[i];
        }
        if (z.length != (long) n * d) {
            throw new IllegalArgumentException("expected " + n + " × " + d + " values, got " + z.length);
        }
        float[] f = new float[z.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) z[i];
        }
        return m.create(f, new Shape(s));
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
