package org.flowbench.engine.model;

/** ∇ log p_t(x | label) for n flattened states. */
@FunctionalInterface
public interface ScoreField {
    void score(double[] x, int n, double t, int[] labels, double[] out);
}
