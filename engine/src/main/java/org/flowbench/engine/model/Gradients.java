package org.flowbench.engine.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.flowbench.engine.nn.Scalars;

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
        Evaluation e = evaluate(g, shape, List.of(r), new double[] {1}, z, c, true);
        return new RewardGradient(e.rewards()[0], e.images(), e.gradient());
    }

    /**
     * One batched evaluation of several rewards of the generated images: per reward its values (reward k → n), the
     * images, and, when asked, ∇z of the weighted sum Σ_k w_k r_k (one backward pass through the rewards and the
     * generator); null otherwise.
     */
    public record Evaluation(double[][] rewards, double[] images, double[] gradient) {}

    /** r_k(G(z, c), c) for every reward and, if {@code gradient}, ∇z Σ_k w_k r_k (z: n × dim of the shape). */
    public static Evaluation evaluate(OneStepGenerator g, List<? extends RewardModel> rewards, double[] weights,
                                      double[] z, Condition[] c, boolean gradient) {
        if (gradient && (!g.differentiable() || rewards.stream().anyMatch(r -> !r.differentiable()))) {
            throw new org.flowbench.engine.FlowbenchException("gradients need a differentiable generator and rewards");
        }
        return evaluate(g, g.shape(), rewards, weights, z, c, gradient);
    }

    private static Evaluation evaluate(OneStepGenerator g, int[] shape, List<? extends RewardModel> rewards,
                                       double[] weights, double[] z, Condition[] c, boolean gradient) {
        if (weights.length != rewards.size()) {
            throw new IllegalArgumentException(rewards.size() + " rewards, " + weights.length + " weights");
        }
        try (NDManager m = NDManager.newBaseManager(org.flowbench.engine.device.Devices.current())) {
            NDArray za = input(m, shape, z, c.length);
            double[][] values = new double[rewards.size()][];
            if (!gradient) {
                NDArray x = g == null ? za : g.generate(za, c);
                for (int k = 0; k < values.length; k++) {
                    values[k] = toDouble(rewards.get(k).reward(x, c).toFloatArray());
                }
                return new Evaluation(values, toDouble(x.toFloatArray()), null);
            }
            za.setRequiresGradient(true);
            float[] image;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray x = g == null ? za : g.generate(za, c);
                NDArray total = null;
                for (int k = 0; k < values.length; k++) {
                    NDArray r = rewards.get(k).reward(x, c);
                    values[k] = toDouble(r.toFloatArray());
                    NDArray term = Scalars.mul(r, weights[k]);
                    total = total == null ? term : total.add(term);
                }
                image = x.toFloatArray();
                gc.backward(total.sum());
            }
            return new Evaluation(values, toDouble(image), toDouble(za.getGradient().toFloatArray()));
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
