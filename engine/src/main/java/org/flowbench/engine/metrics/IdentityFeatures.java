package org.flowbench.engine.metrics;

import org.flowbench.engine.model.FeatureExtractor;

/** The raw coordinates as features (for 2-D and other low-dimensional models): {@code identity}. */
public final class IdentityFeatures implements FeatureExtractor {
    private final int dim;

    public IdentityFeatures(int dim) {
        if (dim <= 0) {
            throw new IllegalArgumentException("dim must be positive");
        }
        this.dim = dim;
    }

    @Override
    public String id() {
        return "identity";
    }

    @Override
    public String hash() {
        return "-";
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public void features(double[] x, int n, double[] out) {
        System.arraycopy(x, 0, out, 0, n * dim);
    }
}
