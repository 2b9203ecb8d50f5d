package org.flowbench.engine.model;

import org.flowbench.engine.FlowbenchException;

/**
 * An autoregressive token model opened like any model (CLI, projects, the window): it offers {@link ArTokenModel},
 * and its image-space field is refused in one clear line, since such a model has no velocity over whole images.
 * Samplers that need a token model (DiSA) ask for {@link ArTokenModel}; the others are told to use them. Its path is
 * rectified flow, so the noise a sampler draws for an image is standard normal: DiSA takes it as the tokens' noise.
 */
public abstract class ArTokenFlowModel extends PredictionModel implements ArTokenModel {
    /** Offers what it is, except a probability-flow field: samplers of image fields then say in one line why not. */
    @Override
    public <T> java.util.Optional<T> as(Class<T> capability) {
        if (capability == FlowModel.class || capability == TensorField.class) {
            return java.util.Optional.empty();
        }
        return capability.isInstance(this) ? java.util.Optional.of(capability.cast(this)) : java.util.Optional.empty();
    }

    @Override
    protected final void predict(double[] x, int n, double t, int[] labels, double[] out) {
        throw new FlowbenchException(id() + " is an autoregressive token model: it has no velocity field over whole"
                + " images", "sample it with --sampler disa");
    }

    @Override
    public NoisePath path() {
        return Paths.RECTIFIED_FLOW;
    }

    @Override
    public Parameterization nativeParameterization() {
        return Parameterization.VELOCITY;
    }
}
