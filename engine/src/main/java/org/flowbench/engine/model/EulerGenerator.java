package org.flowbench.engine.model;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import org.flowbench.engine.nn.Scalars;

/**
 * K Euler steps of a tensor field on given times, as a generator: x ← σ(t0)·z, then x ← x + (t_{k+1} − t_k)·v(x,
 * t_k) — the same arithmetic as the Euler sampler, on tensors, so that backpropagation through the K steps gives
 * the gradient with respect to z. Memory grows with K: every step's activations are kept for the backward pass.
 */
public final class EulerGenerator implements OneStepGenerator {
    private final TensorField field;
    private final double[] times;

    public EulerGenerator(TensorField field, double[] times) {
        if (times.length < 2) {
            throw new IllegalArgumentException("Euler needs at least two times");
        }
        this.field = field;
        this.times = times.clone();
    }

    /** K uniform steps over the field's path interval. */
    public static EulerGenerator uniform(TensorField field, int steps) {
        double[] t = new double[steps + 1];
        double a = field.path().tStart();
        double b = field.path().tEnd();
        for (int k = 0; k <= steps; k++) {
            t[k] = a + (b - a) * k / steps;
        }
        t[steps] = b;
        return new EulerGenerator(field, t);
    }

    public double[] times() {
        return times.clone();
    }

    @Override
    public int[] shape() {
        return field.shape();
    }

    @Override
    public boolean differentiable() {
        return field.differentiable();
    }

    @Override
    public int evaluationsPerImage() {
        return times.length - 1;
    }

    @Override
    public NDArray generate(NDArray z, Condition[] c) {
        int n = c.length;
        NDArray x = Scalars.mul(z, field.path().sigma(times[0]));
        double[] t = new double[n];
        for (int k = 0; k < times.length - 1; k++) {
            Arrays.fill(t, times[k]);
            x = x.add(Scalars.mul(field.velocity(x, t, c), times[k + 1] - times[k]));
        }
        return x;
    }
}
