package org.flowbench.engine.model;

/** v(x, t, label): the probability-flow velocity in generation time, for n flattened states. */
@FunctionalInterface
public interface VelocityField {
    void velocity(double[] x, int n, double t, int[] labels, double[] out);
}
