package org.flowbench.engine.metrics;

import org.flowbench.engine.random.NoiseSource;

/**
 * Kernel Inception Distance (method reference §5.6, clean-fid defaults): the unbiased MMD² with the polynomial
 * kernel {@code k(x, y) = (xᵀy/d + 1)³}, averaged over {@code numSubsets = 100} rounds of {@code m = min(n1, n2, 1000)}
 * rows drawn without replacement from each set. Deterministic for a seed (subsets come from {@link NoiseSource}).
 * The reported std is the population standard deviation over the rounds (as torch-fidelity reports it). KID can be
 * negative: the estimator is unbiased.
 */
public final class Kid {
    public static final int DEFAULT_SUBSETS = 100;
    public static final int DEFAULT_MAX_SUBSET = 1000;
    private static final int STREAM_A = 0x4B1D0001;
    private static final int STREAM_B = 0x4B1D0002;

    private Kid() {}

    /** KID estimate: mean and std over rounds, the number of rounds and the subset size m. */
    public record Result(double mean, double std, int subsets, int subsetSize) {}

    public static Result compute(double[] a, int na, double[] b, int nb, int d, long seed) {
        return compute(a, na, b, nb, d, DEFAULT_SUBSETS, DEFAULT_MAX_SUBSET, seed, Linalg.get());
    }

    /**
     * KID between feature sets a (na × d) and b (nb × d). Following clean-fid, x rows are drawn from b and y rows
     * from a (the value is symmetric; only the random draws depend on the order).
     */
    public static Result compute(double[] a, int na, double[] b, int nb, int d, int numSubsets, int maxSubsetSize,
            long seed, Linalg linalg) {
        int m = Math.min(Math.min(na, nb), maxSubsetSize);
        if (m < 2) {
            throw new org.flowbench.engine.FlowbenchException("KID needs at least 2 samples in each set (have "
                    + na + " and " + nb + ")");
        }
        if (numSubsets < 1) {
            throw new IllegalArgumentException("numSubsets must be positive");
        }
        double[] xt = new double[d * m];
        double[] yt = new double[d * m];
        double[] x = new double[m * d];
        double[] kxx = new double[m * m];
        double[] kyy = new double[m * m];
        double[] kxy = new double[m * m];
        int[] permA = new int[na];
        int[] permB = new int[nb];
        double[] values = new double[numSubsets];
        double sum = 0;
        for (int round = 0; round < numSubsets; round++) {
            int[] ix = subset(permB, nb, m, seed, round, STREAM_B);
            int[] iy = subset(permA, na, m, seed, round, STREAM_A);
            for (int r = 0; r < m; r++) {
                for (int c = 0; c < d; c++) {
                    double xv = b[ix[r] * d + c];
                    x[r * d + c] = xv;
                    xt[c * m + r] = xv;
                    yt[c * m + r] = a[iy[r] * d + c];
                }
            }
            java.util.Arrays.fill(kxx, 0);
            java.util.Arrays.fill(kyy, 0);
            linalg.syrkUpper(xt, d, m, kxx);
            linalg.syrkUpper(yt, d, m, kyy);
            linalg.gemm(x, yt, kxy, m, d, m);
            double sxx = 0;
            double syy = 0;
            for (int i = 0; i < m; i++) {
                for (int j = i + 1; j < m; j++) {
                    sxx += cube(kxx[i * m + j] / d + 1);
                    syy += cube(kyy[i * m + j] / d + 1);
                }
            }
            double sxy = 0;
            for (int i = 0; i < m * m; i++) {
                sxy += cube(kxy[i] / d + 1);
            }
            double mmd = 2 * (sxx + syy) / ((double) m * (m - 1)) - 2 * sxy / ((double) m * m);
            values[round] = mmd;
            sum += mmd;
        }
        double mean = sum / numSubsets;
        double var = 0;
        for (double v : values) {
            var += (v - mean) * (v - mean);
        }
        return new Result(mean, Math.sqrt(var / numSubsets), numSubsets, m);
    }

    private static double cube(double v) {
        return v * v * v;
    }

    /** First m entries of a seeded partial Fisher–Yates shuffle of 0..n-1 (perm is scratch of length n). */
    static int[] subset(int[] perm, int n, int m, long seed, int round, int stream) {
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        int[] out = new int[m];
        for (int i = 0; i < m; i++) {
            int j = i + (int) Math.floor(NoiseSource.uniform(seed, round, stream, i) * (n - i));
            if (j >= n) {
                j = n - 1;
            }
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
            out[i] = perm[i];
        }
        return out;
    }
}
