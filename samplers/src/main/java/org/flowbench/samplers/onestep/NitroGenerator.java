package org.flowbench.samplers.onestep;

import ai.djl.ndarray.NDArray;
import org.flowbench.engine.model.Condition;
import org.flowbench.engine.model.NoisePath;
import org.flowbench.engine.model.OneStepGenerator;
import org.flowbench.engine.model.TensorField;
import org.flowbench.engine.nn.Scalars;

/**
 * NitroFusion's one-step prediction as a differentiable generator, for ReNO: the same arithmetic as
 * {@link NitroSampler} with one step, on tensors. The noise z is read as the state at the shifted level s =
 * ⌊999·shift/1000⌋, the field's velocity at the model time of that level converts it to the clean image
 * (x̂ = a·x + b·v, exact on any Gaussian path), and the LCM boundary scalings give c_out·x̂ + c_skip·z.
 */
public final class NitroGenerator implements OneStepGenerator {
    private final TensorField field;
    private final double time;
    private final double inputScale;
    private final double fromState;
    private final double fromVelocity;
    private final double cSkip;
    private final double cOut;
    private final int shiftedLevel;

    public NitroGenerator(TensorField field, int shift) {
        this.field = field;
        NoisePath path = field.path();
        boolean rf = path.id().equals("rectified-flow");
        int tau = NitroSampler.levels(1, 4)[0];
        shiftedLevel = NitroSampler.shifted(tau, shift);
        double[] as = NitroSampler.level(rf, shiftedLevel);
        time = NitroSampler.modelTime(path, as);
        inputScale = path.alpha(time) / as[0];
        // x_t = α x1 + σ ε and v = α' x1 + σ' ε give x1 = (σ' x_t − σ v) / (α σ' − σ α')
        double a = path.alpha(time);
        double s = path.sigma(time);
        double det = a * path.dSigma(time) - s * path.dAlpha(time);
        fromState = path.dSigma(time) / det;
        fromVelocity = -s / det;
        double[] cs = NitroSampler.boundary(shiftedLevel);
        cSkip = cs[0];
        cOut = cs[1];
    }

    /** The level the model is told (for the run record). */
    public int shiftedLevel() {
        return shiftedLevel;
    }

    /** The model time the field is evaluated at. */
    public double time() {
        return time;
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
        java.util.Arrays.fill(t, time);
        NDArray in = Scalars.mul(z, inputScale);
        NDArray v = field.velocity(in, t, c);
        NDArray clean = Scalars.mul(in, fromState).add(Scalars.mul(v, fromVelocity));
        return Scalars.mul(clean, cOut).add(Scalars.mul(z, cSkip));
    }
}
