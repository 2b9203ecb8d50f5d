package org.flowbench.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.flowbench.engine.model.Condition;
import org.flowbench.engine.model.TrainableNetwork;

/**
 * Regression of a network's velocity onto targets: the loss of flow matching, reflow and BOSS chord straightening,
 * mean over the batch and the dimensions of ‖v_θ(x, t, c) − target‖². Batches are plain arrays, so the methods that
 * draw them need no tensor library.
 */
public final class VelocityRegression {
    private VelocityRegression() {}

    /** n states x (n × dim), their times, classes (−1: none) and velocity targets (n × dim). */
    public record Batch(float[] x, double[] t, int[] labels, float[] target, int n) {}

    public static Trainer.Loss<Batch> loss(TrainableNetwork net) {
        int[] shape = net.shape();
        return (m, p, b, rng) -> {
            long[] s = new long[shape.length + 1];
            s[0] = b.n();
            for (int i = 0; i < shape.length; i++) {
                s[i + 1] = shape[i];
            }
            NDArray v = net.velocity(p, m.create(b.x(), new Shape(s)), b.t(), Condition.of(b.labels(), b.n()));
            return v.sub(m.create(b.target(), v.getShape())).square().mean();
        };
    }
}
