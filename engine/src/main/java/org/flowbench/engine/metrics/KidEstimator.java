package org.flowbench.engine.metrics;

import org.flowbench.engine.FlowbenchException;

/**
 * KID of a generated set against a fixed reference feature set, for small N: the complete unbiased MMD² with the KID
 * kernel {@code k(x, y) = (xᵀy/d + 1)³} over every pair (no random subsets, so nothing but the data moves it), and a
 * normal interval from the two-sample jackknife: the variance is the delete-one jackknife variance over the generated
 * rows plus that over the reference rows. Both come from kernel row sums, so the interval costs no more than the
 * estimate. The interval is symmetric about the estimate and contains it by construction.
 *
 * <p>Unlike FID, KID is unbiased at every N ≥ 2, so its value at N = 64 estimates the same quantity as at N = 10 000;
 * only the interval narrows. This is why it is the headline quality figure for small runs (docs/metrics.md).
 */
public final class KidEstimator {
    /** How many reference rows a statistics file keeps for KID by default (1 MB of float32 at d = 128). */
    public static final int DEFAULT_REFERENCE_ROWS = 2000;
    private static final int STREAM_SUBSET = 0x4B1D0003;

    /** KID, its interval at the given level, its standard error, and the sizes n (generated) and m (reference). */
    public record Estimate(double kid, double lo, double hi, double stdError, int n, int m) {}

    private final double[] refT; // d × m, the reference transposed for the cross-kernel product
    private final double[] refRowSums; // Σ_{l≠j} k(y_j, y_l)
    private final double refPairSum;
    private final int m;
    private final int d;
    private final Linalg linalg;

    /** ref holds m reference feature rows of dimension d (row-major); m ≥ 3. */
    public KidEstimator(double[] ref, int m, int d, Linalg linalg) {
        if (m < 3) {
            throw new FlowbenchException("KID needs at least 3 reference features (have " + m + ")");
        }
        this.m = m;
        this.d = d;
        this.linalg = linalg;
        this.refT = transpose(ref, m, d);
        this.refRowSums = new double[m];
        this.refPairSum = offDiagonalRowSums(ref, refT, m, d, linalg, refRowSums);
    }

    public KidEstimator(double[] ref, int m, int d) {
        this(ref, m, d, Linalg.get());
    }

    public int referenceSize() {
        return m;
    }

    /** A seeded subset of min(m, n) of the n rows of f (n × d), without replacement, in drawn order. */
    public static double[] subsetRows(double[] f, int n, int d, int m, long seed) {
        int k = Math.min(m, n);
        int[] rows = Kid.subset(new int[n], n, k, seed, 0, STREAM_SUBSET);
        double[] out = new double[k * d];
        for (int i = 0; i < k; i++) {
            System.arraycopy(f, rows[i] * d, out, i * d, d);
        }
        return out;
    }

    /** The estimate for the first n rows of gen (n × d), with a two-sided interval at {@code level}. */
    public Estimate estimate(double[] gen, int n, double level) {
        if (n < 3) {
            throw new FlowbenchException("KID with an interval needs at least 3 generated samples (have " + n + ")");
        }
        double[] genRowSums = new double[n];
        double genPairSum = offDiagonalRowSums(gen, transpose(gen, n, d), n, d, linalg, genRowSums);
        double[] kxy = new double[n * m];
        linalg.gemm(gen, refT, kxy, n, d, m);
        double[] crossRow = new double[n]; // Σ_j k(x_i, y_j)
        double[] crossCol = new double[m]; // Σ_i k(x_i, y_j)
        double cross = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < m; j++) {
                double k = kernel(kxy[i * m + j], d);
                s += k;
                crossCol[j] += k;
            }
            crossRow[i] = s;
            cross += s;
        }
        double a = genPairSum / ((double) n * (n - 1));
        double b = refPairSum / ((double) m * (m - 1));
        double kid = a + b - 2 * cross / ((double) n * m);
        double[] leaveGen = new double[n];
        for (int i = 0; i < n; i++) {
            leaveGen[i] = (genPairSum - 2 * genRowSums[i]) / ((double) (n - 1) * (n - 2)) + b
                    - 2 * (cross - crossRow[i]) / ((double) (n - 1) * m);
        }
        double[] leaveRef = new double[m];
        for (int j = 0; j < m; j++) {
            leaveRef[j] = a + (refPairSum - 2 * refRowSums[j]) / ((double) (m - 1) * (m - 2))
                    - 2 * (cross - crossCol[j]) / ((double) n * (m - 1));
        }
        double var = jackknifeVariance(leaveGen) + jackknifeVariance(leaveRef);
        double se = Math.sqrt(var);
        double z = Normal.quantile(0.5 + level / 2);
        return new Estimate(kid, kid - z * se, kid + z * se, se, n, m);
    }

    /** Delete-one jackknife variance (n−1)/n · Σ (θ₋ᵢ − θ̄)². */
    private static double jackknifeVariance(double[] leaveOne) {
        int n = leaveOne.length;
        double mean = 0;
        for (double v : leaveOne) {
            mean += v;
        }
        mean /= n;
        double ss = 0;
        for (double v : leaveOne) {
            ss += (v - mean) * (v - mean);
        }
        return (n - 1.0) / n * ss;
    }

    /** Fills rowSums[i] = Σ_{j≠i} k(x_i, x_j) and returns their total. */
    private static double offDiagonalRowSums(double[] x, double[] xt, int n, int d, Linalg linalg, double[] rowSums) {
        double[] g = new double[n * n];
        linalg.gemm(x, xt, g, n, d, n);
        double total = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    s += kernel(g[i * n + j], d);
                }
            }
            rowSums[i] = s;
            total += s;
        }
        return total;
    }

    private static double kernel(double dot, int d) {
        double v = dot / d + 1;
        return v * v * v;
    }

    private static double[] transpose(double[] x, int n, int d) {
        double[] t = new double[d * n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                t[c * n + i] = x[i * d + c];
            }
        }
        return t;
    }
}
