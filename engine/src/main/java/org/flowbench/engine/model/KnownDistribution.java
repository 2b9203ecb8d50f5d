package org.flowbench.engine.model;

/**
 * An exactly known target (the analytic Gaussian mixtures): densities, moments, modes and exact samples, the ground
 * truth behind exact quality figures, density heat maps and FKC's exact initial weights.
 */
public interface KnownDistribution {
    int dim();

    /** Number of mixture components (modes). */
    int components();

    /** Weight of component j given the label (−1: the unconditional mixture). */
    double weight(int j, int label);

    /** The component whose mean is nearest to x[off .. off + dim). */
    int nearestComponent(double[] x, int off);

    double[] dataMean(int label);

    /** Row-major dim × dim covariance of the data distribution. */
    double[] dataCovariance(int label);

    /** n exact samples of the data distribution, flattened. */
    double[] sampleData(long seed, int n, int label);

    /** log p_t(x | label) of the marginal at generation time t. */
    double logDensity(double[] x, int off, double t, int label);

    /** log p(x | label) of the data distribution. */
    double dataLogDensity(double[] x, int off, int label);
}
