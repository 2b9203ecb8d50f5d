package org.flowbench.samplers.onestep;

import org.flowbench.engine.model.AffineStepGenerator;
import org.flowbench.engine.model.NoisePath;
import org.flowbench.engine.model.Parameterization;
import org.flowbench.engine.model.TensorField;

/**
 * NitroFusion's one-step prediction as a differentiable generator, for ReNO: the same arithmetic as
 * {@link NitroSampler} with one step. The noise z is read as the state at the shifted level s = ⌊999·shift/1000⌋,
 * the field's velocity at the model time of that level converts it to the clean image (x̂ = a·x + b·v, exact on any
 * Gaussian path), and the LCM boundary scalings give c_out·x̂ + c_skip·z.
 */
public final class NitroGenerator {
    private NitroGenerator() {
    }

    /** The level the model is told at one step. */
    public static int shiftedLevel(int shift) {
        return NitroSampler.shifted(NitroSampler.levels(1, 4)[0], shift);
    }

    /** The coefficients of the one-step map on {@code path}. */
    public static AffineStepGenerator.Coefficients coefficients(NoisePath path, int shift) {
        boolean rf = path.id().equals("rectified-flow");
        int s = shiftedLevel(shift);
        double[] as = NitroSampler.level(rf, s);
        double time = NitroSampler.modelTime(path, as);
        // the clean image is linear in the state and the velocity: its two coefficients from the project's one
        // conversion, applied to (x, v) = (1, 0) and (0, 1)
        double[] fromState = new double[1];
        double[] fromVelocity = new double[1];
        Parameterization.convert(path, time, Parameterization.VELOCITY, Parameterization.DATA, new double[] {1},
                new double[] {0}, fromState, 1);
        Parameterization.convert(path, time, Parameterization.VELOCITY, Parameterization.DATA, new double[] {0},
                new double[] {1}, fromVelocity, 1);
        double[] cs = NitroSampler.boundary(s);
        return new AffineStepGenerator.Coefficients(time, path.alpha(time) / as[0], fromState[0], fromVelocity[0],
                cs[0], cs[1]);
    }

    public static AffineStepGenerator create(TensorField field, int shift) {
        return new AffineStepGenerator(field, coefficients(field.path(), shift));
    }
}
