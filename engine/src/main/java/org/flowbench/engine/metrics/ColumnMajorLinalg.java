package org.flowbench.engine.metrics;

/**
 * Flowbench's row-major {@link Linalg} on column-major kernels ({@link ColumnMajorKernels}). A row-major matrix is
 * its column-major transpose, so each operation swaps triangles or operands instead of moving data; only the
 * eigenvectors are transposed back. This mapping is what {@code ColumnMajorLinalgTest} checks against the pure-Java
 * backend with kernels written in plain Java.
 */
final class ColumnMajorLinalg implements Linalg {
    private final String name;
    private final ColumnMajorKernels k;

    ColumnMajorLinalg(String name, ColumnMajorKernels kernels) {
        this.name = name;
        this.k = kernels;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void syrkUpper(double[] a, int rows, int n, double[] c) {
        if (rows == 0) {
            return;
        }
        // row-major A (rows × n) is column-major Aᵀ (n × rows): Aᵀ A = (Aᵀ)(Aᵀ)ᵀ; the row-major upper triangle of C is
        // the column-major lower one
        k.syrk(true, n, rows, a, c);
    }

    @Override
    public void gemm(double[] a, double[] b, double[] c, int m, int inner, int n) {
        // row-major C = A B is column-major Cᵀ = Bᵀ Aᵀ (n × m)
        k.gemm(false, false, n, m, inner, b, n, a, inner, c);
    }

    @Override
    public void eigh(double[] a, int n, double[] w, boolean vectors) {
        if (n == 0) {
            return;
        }
        int info = k.syevd(vectors, true, n, a, w); // the row-major upper triangle is the column-major lower one
        if (info != 0) {
            throw new ArithmeticException(name + " dsyevd failed, info = " + info);
        }
        if (vectors) {
            transpose(a, n); // eigenvector j in column j, column-major → a[i*n + j] = U_ij
        }
    }

    @Override
    public boolean cholesky(double[] a, int n) {
        // row-major lower = column-major upper, where the factor is A = Uᵀ U; U read row-major is L = Uᵀ
        if (k.potrf(false, n, a) != 0) {
            return false;
        }
        Linalg.zeroStrictUpper(a, n);
        return true;
    }

    @Override
    public void lowerSandwich(double[] l, double[] g, double[] out, int n) {
        // column-major, l's memory is P = Lᵀ and g's is Q = Gᵀ; row-major out = Lᵀ G L is column-major P Q Pᵀ
        double[] t = new double[n * n];
        k.gemm(false, true, n, n, n, g, n, l, n, t); // T = Q Pᵀ
        k.gemm(false, false, n, n, n, l, n, t, n, out); // P T
    }

    private static void transpose(double[] a, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double x = a[i * n + j];
                a[i * n + j] = a[j * n + i];
                a[j * n + i] = x;
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
