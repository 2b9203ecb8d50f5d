package org.flowbench.engine.metrics;

import org.flowbench.engine.FlowbenchException;

/**
 * Fréchet distance between two Gaussians, {@code ‖μ1 − μ2‖² + tr Σ1 + tr Σ2 − 2 tr (Σ1 Σ2)^{1/2}}, in the symmetric
 * eigen formulation of method reference §5.4: with {@code R = Σ_r^{1/2}} (from {@code Σ_r = U Λ Uᵀ}, Λ clamped at 0),
 * {@code tr (Σ_r Σ_g)^{1/2} = Σ √max(0, eig(R Σ_g R))} (eigenvalues under the solve's round-off floor counted as 0).
 * Never complex; singular and rank-deficient covariances are
 * fine. {@link Reference} caches a square-root factor of the reference covariance so repeated distances need one
 * sandwich product and one eigenvalues-only solve.
 */
public final class Frechet {
    private Frechet() {}

    public static double distance(GaussianStats a, GaussianStats b) {
        return distance(a, b, Linalg.get());
    }

    public static double distance(GaussianStats a, GaussianStats b, Linalg linalg) {
        requireSameDim(a.dim(), b.dim());
        return new Reference(a.mean(), a.covariance(), a.dim(), linalg).distanceTo(b);
    }

    public static double distance(double[] mu1, double[] cov1, double[] mu2, double[] cov2, int d) {
        return distance(mu1, cov1, mu2, cov2, d, Linalg.get());
    }

    public static double distance(double[] mu1, double[] cov1, double[] mu2, double[] cov2, int d, Linalg linalg) {
        return new Reference(mu1, cov1, d, linalg).distanceTo(mu2, cov2);
    }

    static void requireSameDim(int a, int b) {
        if (a != b) {
            throw new FlowbenchException("feature dimensions differ: " + a + " vs " + b,
                    "compute both statistics with the same feature extractor");
        }
    }

    /**
     * A reference Gaussian with a square-root factor W of its covariance ({@code Σ_r = W Wᵀ}) cached, so that
     * {@code tr (Σ_r Σ_g)^{1/2} = Σ √max(0, eig(Wᵀ Σ_g W))} needs one sandwich product and one eigenvalues-only
     * symmetric solve per distance ({@code Wᵀ Σ_g W} is similar to {@code Σ_g Σ_r}, symmetric and PSD: never
     * complex). W is the lower Cholesky factor when Σ_r is safely positive definite (cheapest: {@code dpotrf} once,
     * two {@code dtrmm} per distance); otherwise (singular, rank-deficient or nearly so) W is the symmetric root
     * {@code R = U √max(Λ,0) Uᵀ} of method reference §5.4 (one {@code dsyevd} with vectors once, two {@code dgemm}
     * per distance). Both give the same value. Immutable and thread-safe after construction.
     */
    public static final class Reference {
        /** Cholesky is used only if every pivot L_ii² ≥ this × the largest diagonal entry of Σ_r. */
        static final double MIN_PIVOT = 1e-10;

        private final int d;
        private final double[] mu;
        private final double[] factor;
        private final boolean triangular;
        private final double trace;
        private final Linalg linalg;

        public Reference(GaussianStats stats) {
            this(stats.mean(), stats.covariance(), stats.dim(), Linalg.get());
        }

        public Reference(GaussianStats stats, Linalg linalg) {
            this(stats.mean(), stats.covariance(), stats.dim(), linalg);
        }

        public Reference(double[] mu, double[] cov, int d, Linalg linalg) {
            this(mu, cov, d, linalg, true);
        }

        /** With allowCholesky false, always the §5.4 symmetric root (for tests and comparisons). */
        Reference(double[] mu, double[] cov, int d, Linalg linalg, boolean allowCholesky) {
            if (mu.length != d || cov.length != d * d) {
                throw new IllegalArgumentException("mean/covariance sizes do not match d = " + d);
            }
            requireFinite(mu, cov);
            this.d = d;
            this.mu = mu.clone();
            this.linalg = linalg;
            double[] a = symmetrised(cov, d);
            double tr = 0;
            double maxDiag = 0;
            for (int i = 0; i < d; i++) {
                tr += a[i * d + i];
                maxDiag = Math.max(maxDiag, a[i * d + i]);
            }
            this.trace = tr;
            double[] l = allowCholesky && maxDiag > 0 ? a.clone() : null;
            if (l != null && linalg.cholesky(l, d) && pivotsOk(l, d, maxDiag)) {
                this.factor = l;
                this.triangular = true;
            } else {
                this.factor = symmetricRoot(a, d, linalg);
                this.triangular = false;
            }
        }

        private static boolean pivotsOk(double[] l, int d, double maxDiag) {
            for (int i = 0; i < d; i++) {
                double p = l[i * d + i];
                if (!(p * p >= MIN_PIVOT * maxDiag)) {
                    return false;
                }
            }
            return true;
        }

        /** R = U √Λ Uᵀ = Bᵀ B with B = Λ^{1/4} Uᵀ (row j of B is λ_j^{1/4} u_j): one eigen-solve and one syrk. */
        private static double[] symmetricRoot(double[] a, int d, Linalg linalg) {
            double[] u = a.clone();
            double[] w = new double[d];
            linalg.eigh(u, d, w, true);
            double[] b = new double[d * d];
            for (int j = 0; j < d; j++) {
                double s = Math.sqrt(Math.sqrt(Math.max(0.0, w[j])));
                if (s == 0) {
                    continue;
                }
                int row = j * d;
                for (int i = 0; i < d; i++) {
                    b[row + i] = s * u[i * d + j];
                }
            }
            double[] r = new double[d * d];
            linalg.syrkUpper(b, d, d, r);
            Linalg.mirrorUpper(r, d);
            return r;
        }

        public int dim() {
            return d;
        }

        /** Trace of the reference covariance. */
        public double trace() {
            return trace;
        }

        /** {@code cholesky} or {@code symmetric-root}: which factor of Σ_r is cached. */
        public String factorKind() {
            return triangular ? "cholesky" : "symmetric-root";
        }

        public double distanceTo(GaussianStats s) {
            requireSameDim(d, s.dim());
            return distanceTo(s.mean(), s.covariance());
        }

        public double distanceTo(double[] mu2, double[] cov2) {
            if (mu2.length != d || cov2.length != d * d) {
                requireSameDim(d, mu2.length);
                throw new IllegalArgumentException("covariance must be " + d + " x " + d);
            }
            requireFinite(mu2, cov2);
            double diff = 0;
            for (int i = 0; i < d; i++) {
                double t = mu[i] - mu2[i];
                diff += t * t;
            }
            double[] g = symmetrised(cov2, d);
            double trG = 0;
            for (int i = 0; i < d; i++) {
                trG += g[i * d + i];
            }
            return diff + trace + trG - 2 * traceSqrt(g);
        }

        /** {@code tr (Σ_r Σ_g)^{1/2}} for a symmetric Σ_g (row-major, full). */
        public double traceSqrt(double[] covG) {
            double[] m = new double[d * d];
            if (triangular) {
                linalg.lowerSandwich(factor, covG, m, d);
            } else {
                double[] t = new double[d * d];
                linalg.gemm(factor, covG, t, d, d, d);
                linalg.gemm(t, factor, m, d, d, d);
            }
            for (int i = 0; i < d; i++) {
                for (int j = i + 1; j < d; j++) {
                    double v = 0.5 * (m[i * d + j] + m[j * d + i]);
                    m[i * d + j] = v;
                    m[j * d + i] = v;
                }
            }
            double[] ev = new double[d];
            linalg.eigh(m, d, ev, false);
            // eigenvalues below the round-off floor of the solve (d ε max|λ|, the numerical rank's tolerance) are zeros
            // of a rank-deficient product: their square roots (≈ √(ε max|λ|) each) would add noise that differs with
            // the order of the sums, e.g. between one run and the same run measured in shards and merged
            double top = 0;
            for (double v : ev) {
                top = Math.max(top, Math.abs(v));
            }
            double floor = d * Math.ulp(1.0) * top;
            double s = 0;
            for (double v : ev) {
                if (v > floor) {
                    s += Math.sqrt(v);
                }
            }
            return s;
        }
    }

    static void requireFinite(double[] mu, double[] cov) {
        for (double v : mu) {
            if (!Double.isFinite(v)) {
                throw new FlowbenchException("statistics contain NaN or infinite values",
                        "the samples or features are not finite (a diverged sampler?)");
            }
        }
        for (double v : cov) {
            if (!Double.isFinite(v)) {
                throw new FlowbenchException("statistics contain NaN or infinite values",
                        "the samples or features are not finite (a diverged sampler?)");
            }
        }
    }

    static double[] symmetrised(double[] c, int d) {
        double[] a = new double[d * d];
        for (int i = 0; i < d; i++) {
            a[i * d + i] = c[i * d + i];
            for (int j = i + 1; j < d; j++) {
                double v = 0.5 * (c[i * d + j] + c[j * d + i]);
                a[i * d + j] = v;
                a[j * d + i] = v;
            }
        }
        return a;
    }
}
