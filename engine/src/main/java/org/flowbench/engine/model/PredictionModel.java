package org.flowbench.engine.model;

/**
 * Base for models with one native prediction (a network, typically): velocity, score and denoiser are exact
 * conversions of {@link #predict} through {@link Parameterization}.
 */
public abstract class PredictionModel implements FlowModel {
    /** The native prediction for n states at time t. */
    protected abstract void predict(double[] x, int n, double t, int[] labels, double[] out);

    private void as(Parameterization kind, double[] x, int n, double t, int[] labels, double[] out) {
        predict(x, n, t, labels, out);
        Parameterization.convert(path(), t, nativeParameterization(), kind, x, out, out, n * dim());
    }

    @Override
    public void velocity(double[] x, int n, double t, int[] labels, double[] out) {
        as(Parameterization.VELOCITY, x, n, t, labels, out);
    }

    @Override
    public void score(double[] x, int n, double t, int[] labels, double[] out) {
        as(Parameterization.SCORE, x, n, t, labels, out);
    }

    @Override
    public void denoise(double[] x, int n, double t, int[] labels, double[] out) {
        as(Parameterization.DATA, x, n, t, labels, out);
    }
}
