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

    /**
     * The kernel sums of a generated set against this reference, from which its KID, its interval and paired
     * differences with other sets follow in O(n + m): row sums of the generated pairs, row and column sums of the
     * cross kernel, and their totals.
     */
    public record Sums(int n, double[] genRowSums, double genPairSum, double[] crossRow, double[] crossCol,
            double cross) {}

    /** The kernel sums of the first n rows of gen (n × d); n ≥ 3. */
    public Sums sums(double[] gen, int n) {
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
        return new Sums(n, genRowSums, genPairSum, crossRow, crossCol, cross);
    }

    /** The estimate for the first n rows of gen (n × d), with a two-sided interval at {@code level}. */
    public Estimate estimate(double[] gen, int n, double level) {
        return estimate(sums(gen, n), level);
    }

    public Estimate estimate(Sums g, double level) {
        int n = g.n();
        double a = g.genPairSum() / ((double) n * (n - 1));
        double b = refPairSum / ((double) m * (m - 1));
        double kid = a + b - 2 * g.cross() / ((double) n * m);
        double[] leaveGen = new double[n];
        for (int i = 0; i < n; i++) {
            leaveGen[i] = (g.genPairSum() - 2 * g.genRowSums()[i]) / ((double) (n - 1) * (n - 2)) + b
                    - 2 * (g.cross() - g.crossRow()[i]) / ((double) (n - 1) * m);
        }
        double[] leaveRef = new double[m];
        for (int j = 0; j < m; j++) {
            leaveRef[j] = a + (refPairSum - 2 * refRowSums[j]) / ((double) (m - 1) * (m - 2))
                    - 2 * (g.cross() - g.crossCol()[j]) / ((double) n * (m - 1));
        }
        return interval(kid, jackknifeVariance(leaveGen) + jackknifeVariance(leaveRef), n, level);
    }

    /**
     * KID(a) − KID(b) for two generated sets whose rows are paired (row i of both made from the same noise and
     * prompt, as lanes of one run are), with a jackknife interval that leaves out pair i from both sets at once.
     * Paired rows are alike, so most of their sampling noise cancels in the difference: lanes whose own KID
     * intervals overlap can still be told apart. The reference-only term cancels exactly.
     */
    public Estimate difference(Sums a, Sums b, double level) {
        if (a.n() != b.n()) {
            throw new IllegalArgumentException("paired sets need the same size (" + a.n() + " and " + b.n() + ")");
        }
        int n = a.n();
        double pairs = (a.genPairSum() - b.genPairSum()) / ((double) n * (n - 1));
        double delta = pairs - 2 * (a.cross() - b.cross()) / ((double) n * m);
        double[] leavePair = new double[n];
        for (int i = 0; i < n; i++) {
            leavePair[i] = (a.genPairSum() - 2 * a.genRowSums()[i] - b.genPairSum() + 2 * b.genRowSums()[i])
                    / ((double) (n - 1) * (n - 2))
                    - 2 * (a.cross() - a.crossRow()[i] - b.cross() + b.crossRow()[i]) / ((double) (n - 1) * m);
        }
        double[] leaveRef = new double[m];
        for (int j = 0; j < m; j++) {
            leaveRef[j] = pairs - 2 * (a.cross() - a.crossCol()[j] - b.cross() + b.crossCol()[j])
                    / ((double) n * (m - 1));
        }
        return interval(delta, jackknifeVariance(leavePair) + jackknifeVariance(leaveRef), n, level);
    }

    private Estimate interval(double value, double variance, int n, double level) {
        double se = Math.sqrt(variance);
        double z = Normal.quantile(0.5 + level / 2);
        return new Estimate(value, value - z * se, value + z * se, se, n, m);
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
