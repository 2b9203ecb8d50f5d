package org.flowbench.engine.model;

import ai.djl.ndarray.NDArray;
import org.flowbench.engine.nn.Scalars;

/**
 * One evaluation of a tensor field at a fixed time, as a generator: the noise scaled into the field's coordinates,
 * x = s·z, the clean image from the state and the velocity, x̂ = a·x + b·v(x, t), and an output mix
 * c_out·x̂ + c_skip·z. With a = 1, b = 1 − t on rectified flow it is the field's own one-step prediction; NitroFusion's
 * shifted one-step sampler is one such map (its coefficients come from the sampler). Differentiable when the field
 * is, so ReNO can back-propagate through it.
 */
public final class AffineStepGenerator implements OneStepGenerator {
    /** The map's numbers: the field's time, the input scale s, a, b, c_skip and c_out. */
    public record Coefficients(double time, double inputScale, double fromState, double fromVelocity, double cSkip,
                               double cOut) {}

    private final TensorField field;
    private final Coefficients k;

    public AffineStepGenerator(TensorField field, Coefficients k) {
        this.field = field;
        this.k = k;
    }

    public Coefficients coefficients() {
        return k;
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
        return 1;
    }

    @Override
    public NDArray generate(NDArray z, Condition[] c) {
        double[] t = new double[c.length];
        java.util.Arrays.fill(t, k.time());
        NDArray in = Scalars.mul(z, k.inputScale());
        NDArray v = field.velocity(in, t, c);
        NDArray clean = Scalars.mul(in, k.fromState()).add(Scalars.mul(v, k.fromVelocity()));
        return Scalars.mul(clean, k.cOut()).add(Scalars.mul(z, k.cSkip()));
    }
}
