package org.flowbench.engine.metrics;

import org.flowbench.engine.FlowbenchException;

/**
 * Fréchet distance between two Gaussians, {@code ‖μ1 − μ2‖² + tr Σ1 + tr Σ2 − 2 tr (Σ1 Σ2)^{1/2}}, in the symmetric
 * eigen formulation of method reference §5.4: with {@code R = Σ_r^{1/2}} (from {@code Σ_r = U Λ Uᵀ}, Λ clamped at 0),
 * {@code tr (Σ_r Σ_g)^{1/2} = Σ √max(0, eig(R Σ_g R))}. Never complex; singular and rank-deficient covariances are
 * fine. {@link Reference} caches R so repeated distances against one reference need two matrix products and one
 * eigenvalues-only solve.
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

    /** A reference Gaussian with its symmetric square root cached. Immutable and thread-safe after construction. */
    public static final class Reference {
        private final int d;
        private final double[] mu;
        private final double[] root;
        private final double trace;
        private final Linalg linalg;

        public Reference(GaussianStats stats) {
            this(stats.mean(), stats.covariance(), stats.dim(), Linalg.get());
        }

        public Reference(GaussianStats stats, Linalg linalg) {
            this(stats.mean(), stats.covariance(), stats.dim(), linalg);
        }

        public Reference(double[] mu, double[] cov, int d, Linalg linalg) {
            if (mu.length != d || cov.length != d * d) {
                throw new IllegalArgumentException("mean/covariance sizes do not match d = " + d);
            }
            this.d = d;
            this.mu = mu.clone();
            this.linalg = linalg;
            double[] a = symmetrised(cov, d);
            double tr = 0;
            for (int i = 0; i < d; i++) {
                tr += a[i * d + i];
            }
            this.trace = tr;
            double[] w = new double[d];
            linalg.eigh(a, d, w, true);
            // R = U √Λ Uᵀ = Bᵀ B with B = Λ^{1/4} Uᵀ (row j of B is λ_j^{1/4} u_j): one syrk.
            double[] b = new double[d * d];
            for (int j = 0; j < d; j++) {
                double s = Math.sqrt(Math.sqrt(Math.max(0.0, w[j])));
                if (s == 0) {
                    continue;
                }
                int row = j * d;
                for (int i = 0; i < d; i++) {
                    b[row + i] = s * a[i * d + j];
                }
            }
            double[] r = new double[d * d];
            linalg.syrkUpper(b, d, d, r);
            Linalg.mirrorUpper(r, d);
            this.root = r;
        }

        public int dim() {
            return d;
        }

        /** Trace of the reference covariance. */
        public double trace() {
            return trace;
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
            double[] t = new double[d * d];
            linalg.gemm(root, covG, t, d, d, d);
            double[] m = new double[d * d];
            linalg.gemm(t, root, m, d, d, d);
            for (int i = 0; i < d; i++) {
                for (int j = i + 1; j < d; j++) {
                    double v = 0.5 * (m[i * d + j] + m[j * d + i]);
                    m[i * d + j] = v;
                    m[j * d + i] = v;
                }
            }
            double[] ev = new double[d];
            linalg.eigh(m, d, ev, false);
            double s = 0;
            for (double v : ev) {
                if (v > 0) {
                    s += Math.sqrt(v);
                }
            }
            return s;
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
