package org.flowbench.engine.metrics;

/**
 * Pure-Java {@link Linalg}: blocked loops for the products, Householder reduction to tridiagonal form followed by
 * the implicit QL iteration with Wilkinson-type shifts for the symmetric eigenproblem. Used when OpenBLAS cannot
 * load and as the same-run baseline in the benchmarks.
 */
final class JavaLinalg implements Linalg {
    static final JavaLinalg INSTANCE = new JavaLinalg();
    private static final int BLOCK = 64;

    private JavaLinalg() {}

    @Override
    public String name() {
        return "java";
    }

    @Override
    public void syrkUpper(double[] a, int k, int n, double[] c) {
        for (int i0 = 0; i0 < n; i0 += BLOCK) {
            int i1 = Math.min(n, i0 + BLOCK);
            for (int r = 0; r < k; r++) {
                int row = r * n;
                for (int i = i0; i < i1; i++) {
                    double ai = a[row + i];
                    if (ai == 0) {
                        continue;
                    }
                    int ci = i * n;
                    for (int j = i; j < n; j++) {
                        c[ci + j] += ai * a[row + j];
                    }
                }
            }
        }
    }

    @Override
    public void gemm(double[] a, double[] b, double[] c, int m, int k, int n) {
        java.util.Arrays.fill(c, 0, m * n, 0.0);
        for (int k0 = 0; k0 < k; k0 += BLOCK) {
            int k1 = Math.min(k, k0 + BLOCK);
            for (int i = 0; i < m; i++) {
                int ci = i * n;
                int ai = i * k;
                for (int p = k0; p < k1; p++) {
                    double aip = a[ai + p];
                    if (aip == 0) {
                        continue;
                    }
                    int bp = p * n;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[bp + j];
                    }
                }
            }
        }
    }

    @Override
    public boolean cholesky(double[] a, int n) {
        for (int i = 0; i < n; i++) {
            int ri = i * n;
            for (int j = 0; j <= i; j++) {
                int rj = j * n;
                double s = a[ri + j];
                for (int k = 0; k < j; k++) {
                    s -= a[ri + k] * a[rj + k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        return false;
                    }
                    a[ri + i] = Math.sqrt(s);
                } else {
                    a[ri + j] = s / a[rj + j];
                }
            }
            java.util.Arrays.fill(a, ri + i + 1, ri + n, 0.0);
        }
        return true;
    }

    @Override
    public void lowerSandwich(double[] l, double[] g, double[] out, int n) {
        // T = G L: T[i][j] = Σ_{k ≥ j} G[i][k] L[k][j]
        double[] t = new double[n * n];
        for (int i = 0; i < n; i++) {
            int ti = i * n;
            for (int k = 0; k < n; k++) {
                double gik = g[ti + k];
                if (gik == 0) {
                    continue;
                }
                int lk = k * n;
                for (int j = 0; j <= k; j++) {
                    t[ti + j] += gik * l[lk + j];
                }
            }
        }
        // out = Lᵀ T: out[i][j] = Σ_{k ≥ i} L[k][i] T[k][j]
        java.util.Arrays.fill(out, 0, n * n, 0.0);
        for (int k = 0; k < n; k++) {
            int lk = k * n;
            int tk = k * n;
            for (int i = 0; i <= k; i++) {
                double lki = l[lk + i];
                if (lki == 0) {
                    continue;
                }
                int oi = i * n;
                for (int j = 0; j < n; j++) {
                    out[oi + j] += lki * t[tk + j];
                }
            }
        }
    }

    @Override
    public void eigh(double[] a, int n, double[] w, boolean vectors) {
        if (n == 0) {
            return;
        }
        Linalg.mirrorUpper(a, n);
        double[] e = new double[n];
        double[] house = vectors ? new double[Math.max(0, n - 2) * n] : null;
        tridiagonalize(a, n, w, e, house);
        double[] zt = null;
        if (vectors) {
            zt = new double[n * n];
            for (int i = 0; i < n; i++) {
                zt[i * n + i] = 1.0;
            }
        }
        tridiagonalQl(w, e, n, zt);
        if (vectors) {
            // Row r of zt is eigenvector r of T; eigenvector of A = Q z with Q = H_0 ... H_{n-3}, i.e. zt ← zt H_{n-3}..H_0.
            for (int k = n - 3; k >= 0; k--) {
                int off = k * n;
                for (int r = 0; r < n; r++) {
                    int zr = r * n;
                    double dot = 0;
                    for (int j = k + 1; j < n; j++) {
                        dot += zt[zr + j] * house[off + j];
                    }
                    if (dot == 0) {
                        continue;
                    }
                    double f = 2 * dot;
                    for (int j = k + 1; j < n; j++) {
                        zt[zr + j] -= f * house[off + j];
                    }
                }
            }
        }
        sortAscending(w, zt, n);
        if (vectors) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    a[i * n + j] = zt[j * n + i];
                }
            }
        }
    }

    /**
     * Householder reduction of the full symmetric matrix a to tridiagonal form T = Qᵀ A Q. Diagonal to d,
     * off-diagonal to e (e[i] couples i and i+1, e[n-1] = 0). Unit Householder vectors v_k (H_k = I − 2 v vᵀ, acting
     * on indices k+1..n-1) are stored in rows of house when it is not null.
     */
    private static void tridiagonalize(double[] a, int n, double[] d, double[] e, double[] house) {
        double[] v = new double[n];
        double[] p = new double[n];
        for (int k = 0; k < n - 2; k++) {
            int lo = k + 1;
            double scale = 0;
            for (int i = lo; i < n; i++) {
                scale = Math.max(scale, Math.abs(a[i * n + k]));
            }
            double alpha = 0;
            boolean reflect = false;
            if (scale > 0) {
                double norm2 = 0;
                for (int i = lo; i < n; i++) {
                    double x = a[i * n + k] / scale;
                    v[i] = x;
                    norm2 += x * x;
                }
                double norm = Math.sqrt(norm2);
                double x0 = v[lo];
                double signedNorm = x0 >= 0 ? -norm : norm;
                alpha = signedNorm * scale;
                v[lo] = x0 - signedNorm;
                double vnorm2 = norm2 - x0 * x0 + v[lo] * v[lo];
                if (vnorm2 > 0) {
                    double inv = 1.0 / Math.sqrt(vnorm2);
                    for (int i = lo; i < n; i++) {
                        v[i] *= inv;
                    }
                    reflect = true;
                }
            }
            e[k] = reflect ? alpha : a[lo * n + k];
            d[k] = a[k * n + k];
            if (house != null) {
                int off = k * n;
                for (int i = 0; i < n; i++) {
                    house[off + i] = reflect && i >= lo ? v[i] : 0.0;
                }
            }
            if (!reflect) {
                continue;
            }
            // p = A22 v ; K = vᵀ p ; w = 2p − 2K v ; A22 ← A22 − v wᵀ − w vᵀ
            double kk = 0;
            for (int i = lo; i < n; i++) {
                int ai = i * n;
                double s = 0;
                for (int j = lo; j < n; j++) {
                    s += a[ai + j] * v[j];
                }
                p[i] = s;
                kk += v[i] * s;
            }
            for (int i = lo; i < n; i++) {
                p[i] = 2 * p[i] - 2 * kk * v[i];
            }
            for (int i = lo; i < n; i++) {
                int ai = i * n;
                double vi = v[i];
                double wi = p[i];
                for (int j = lo; j < n; j++) {
                    a[ai + j] -= vi * p[j] + wi * v[j];
                }
            }
        }
        if (n >= 2) {
            d[n - 2] = a[(n - 2) * n + n - 2];
            e[n - 2] = a[(n - 1) * n + n - 2];
        }
        d[n - 1] = a[(n - 1) * n + n - 1];
        e[n - 1] = 0;
    }

    /**
     * Implicit QL iteration on the symmetric tridiagonal matrix (d, e). On return d holds the eigenvalues; when zt is
     * not null its rows are rotated along, so rows of zt end up as the eigenvectors of T (if it started as I).
     */
    private static void tridiagonalQl(double[] d, double[] e, int n, double[] zt) {
        for (int l = 0; l < n; l++) {
            int iter = 0;
            int m;
            do {
                for (m = l; m < n - 1; m++) {
                    double dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
                    if (Math.abs(e[m]) <= 0x1.0p-53 * dd) {
                        break;
                    }
                }
                if (m != l) {
                    if (iter++ == 100) {
                        throw new ArithmeticException("tridiagonal QL did not converge");
                    }
                    double g = (d[l + 1] - d[l]) / (2.0 * e[l]);
                    double r = Math.hypot(g, 1.0);
                    g = d[m] - d[l] + e[l] / (g + Math.copySign(r, g));
                    double s = 1;
                    double c = 1;
                    double p = 0;
                    int i;
                    boolean underflow = false;
                    for (i = m - 1; i >= l; i--) {
                        double f = s * e[i];
                        double b = c * e[i];
                        r = Math.hypot(f, g);
                        e[i + 1] = r;
                        if (r == 0) {
                            d[i + 1] -= p;
                            e[m] = 0;
                            underflow = true;
                            break;
                        }
                        s = f / r;
                        c = g / r;
                        g = d[i + 1] - p;
                        r = (d[i] - g) * s + 2.0 * c * b;
                        p = s * r;
                        d[i + 1] = g + p;
                        g = c * r - b;
                        if (zt != null) {
                            int ri = i * n;
                            int rj = (i + 1) * n;
                            for (int k = 0; k < n; k++) {
                                double zf = zt[rj + k];
                                double zi = zt[ri + k];
                                zt[rj + k] = s * zi + c * zf;
                                zt[ri + k] = c * zi - s * zf;
                            }
                        }
                    }
                    if (underflow) {
                        continue;
                    }
                    d[l] -= p;
                    e[l] = g;
                    e[m] = 0;
                }
            } while (m != l);
        }
    }

    private static void sortAscending(double[] w, double[] zt, int n) {
        for (int i = 0; i < n - 1; i++) {
            int min = i;
            for (int j = i + 1; j < n; j++) {
                if (w[j] < w[min]) {
                    min = j;
                }
            }
            if (min != i) {
                double t = w[i];
                w[i] = w[min];
                w[min] = t;
                if (zt != null) {
                    for (int k = 0; k < n; k++) {
                        double z = zt[i * n + k];
                        zt[i * n + k] = zt[min * n + k];
                        zt[min * n + k] = z;
                    }
                }
            }
        }
    }
}
