package org.flowbench.engine.metrics;

/**
 * Pure-Java {@link Linalg}: blocked loops for the products, EJML for the symmetric eigenproblem and the Cholesky
 * factor. Used when OpenBLAS cannot load and as the same-run baseline in the benchmarks.
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
        if (n == 0) {
            return true;
        }
        // The contract reads the lower triangle only; EJML's small-matrix factorisation reads the upper one too, so
        // the lower is mirrored first (a contract test with garbage above the diagonal found this)
        Linalg.mirrorLower(a, n);
        org.ejml.data.DMatrixRMaj m = org.ejml.data.DMatrixRMaj.wrap(n, n, a);
        var chol = org.ejml.dense.row.factory.DecompositionFactory_DDRM.chol(n, true);
        if (!chol.decompose(m)) {
            return false;
        }
        org.ejml.data.DMatrixRMaj l = chol.getT(null);
        System.arraycopy(l.data, 0, a, 0, n * n);
        for (int i = 0; i < n; i++) {
            if (!(a[i * n + i] > 0)) {
                return false;
            }
            java.util.Arrays.fill(a, i * n + i + 1, i * n + n, 0.0);
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
        // EJML's symmetric QR algorithm (Householder tridiagonalisation, implicit shifted QR): as fast as the
        // hand-written solver it replaced and as accurate (docs/decisions/0008-ejml-for-the-pure-java-fallback.md)
        var eig = org.ejml.dense.row.factory.DecompositionFactory_DDRM.eig(n, vectors, true);
        if (!eig.decompose(org.ejml.data.DMatrixRMaj.wrap(n, n, a))) {
            throw new ArithmeticException("symmetric eigen-decomposition did not converge (n = " + n + ")");
        }
        Integer[] order = new Integer[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            values[i] = eig.getEigenvalue(i).real;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(values[x], values[y]));
        for (int j = 0; j < n; j++) {
            w[j] = values[order[j]];
        }
        if (vectors) {
            for (int j = 0; j < n; j++) {
                double[] v = eig.getEigenVector(order[j]).data;
                for (int i = 0; i < n; i++) {
                    a[i * n + j] = v[i];
                }
            }
        }
    }

}
