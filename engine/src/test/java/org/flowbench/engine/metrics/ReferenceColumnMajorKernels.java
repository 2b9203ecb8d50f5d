package org.flowbench.engine.metrics;

import java.util.Arrays;

/**
 * cuBLAS/cuSOLVER's column-major conventions in plain Java, strictly: only the named triangle is read or written, and
 * an eigen-solve without vectors leaves A as NaNs. {@link ColumnMajorLinalg} over these kernels must agree with the
 * pure-Java backend, which tests the row-/column-major mapping the GPU backend uses on a machine without a GPU.
 */
final class ReferenceColumnMajorKernels implements ColumnMajorKernels {
    @Override
    public void syrk(boolean lower, int n, int k, double[] a, double[] c) {
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                if (lower ? i < j : i > j) {
                    continue;
                }
                double s = 0;
                for (int r = 0; r < k; r++) {
                    s += a[r * n + i] * a[r * n + j];
                }
                c[j * n + i] += s;
            }
        }
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double[] a, int lda, double[] b, int ldb,
            double[] c) {
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (transA ? a[i * lda + p] : a[p * lda + i]) * (transB ? b[p * ldb + j] : b[j * ldb + p]);
                }
                c[j * m + i] = s;
            }
        }
    }

    /** The full symmetric matrix, row-major, from the named triangle of column-major a. */
    private static double[] symmetric(boolean lower, int n, double[] a) {
        double[] s = new double[n * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                if (lower ? i >= j : i <= j) {
                    s[i * n + j] = a[j * n + i];
                    s[j * n + i] = a[j * n + i];
                }
            }
        }
        return s;
    }

    @Override
    public int syevd(boolean vectors, boolean lower, int n, double[] a, double[] w) {
        double[] s = symmetric(lower, n, a);
        Linalg.pureJava().eigh(s, n, w, true);
        if (!vectors) {
            Arrays.fill(a, Double.NaN);
            return 0;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[j * n + i] = s[i * n + j]; // eigenvector j is column j
            }
        }
        return 0;
    }

    @Override
    public int potrf(boolean lower, int n, double[] a) {
        double[] l = symmetric(lower, n, a);
        if (!Linalg.pureJava().cholesky(l, n)) {
            return 1;
        }
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                if (lower && i >= j) {
                    a[j * n + i] = l[i * n + j]; // L(i, j)
                } else if (!lower && i <= j) {
                    a[j * n + i] = l[j * n + i]; // U(i, j) = L(j, i)
                }
            }
        }
        return 0;
    }
}
