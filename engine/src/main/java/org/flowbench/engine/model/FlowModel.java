package org.flowbench.engine.model;

import java.util.List;

/**
 * A generative model as samplers see it: a field on a {@link NoisePath}, evaluated on a batch of n flattened states
 * (x has n·dim entries) at one time t in generation time, with one class label per state (−1 = unconditional, the
 * null class). Implementations must make image i's result depend only on image i's state, time and label, so
 * that samples do not depend on the batch they are computed in.
 */
public interface FlowModel extends Model, VelocityField, ScoreField, Denoiser {
    /** A label meaning "no class": the unconditional model. */
    int UNCONDITIONAL = -1;

    /** Shape of one sample, e.g. [2] or [1, 28, 28]. */
    int[] shape();

    default int dim() {
        int d = 1;
        for (int s : shape()) {
            d *= s;
        }
        return d;
    }

    NoisePath path();

    /** Class names for conditioning; empty for unconditional-only models. */
    List<String> classNames();

    /** What the model natively predicts; the others are exact conversions. */
    Parameterization nativeParameterization();

    /** Network evaluations one state costs in one call of this model (2 under classifier-free guidance). */
    default int networkEvaluationsPerState() {
        return 1;
    }

    /** Whether a call evaluates classifier-free guidance (each state is one guided evaluation). */
    default boolean guided() {
        return false;
    }

    /** "float64" for analytic models, "float32" for networks. */
    default String dtype() {
        return "float64";
    }

    /** What computes it (library and versions), for run records; by dtype unless a model knows better. */
    default String engine() {
        return org.flowbench.engine.Versions.engine(dtype());
    }

    /** Where it runs ("cpu", "gpu:0"); the default is the host CPU, where models computed in Java run. */
    default String device() {
        return org.flowbench.engine.device.Devices.name(ai.djl.Device.cpu());
    }

    /**
     * Velocity with a time per state (adaptive solvers). The default evaluates states one by one; networks and
     * analytic models override it with one batched evaluation.
     */
    default void velocityAt(double[] x, int n, double[] t, int[] labels, double[] out) {
        int d = dim();
        double[] xi = new double[d];
        double[] vi = new double[d];
        int[] li = new int[1];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * d, xi, 0, d);
            li[0] = labels == null ? UNCONDITIONAL : labels[i];
            velocity(xi, 1, t[i], li, vi);
            System.arraycopy(vi, 0, out, i * d, d);
        }
    }
}
