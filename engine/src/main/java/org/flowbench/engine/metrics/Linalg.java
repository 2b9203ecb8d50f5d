package org.flowbench.engine.metrics;

import java.util.Optional;

/**
 * The few dense linear-algebra kernels the metrics need, on row-major {@code double[]} matrices.
 *
 * <p>Three backends: {@link #cuda()} (cuBLAS and cuSOLVER on an NVIDIA GPU, through JavaCPP's CUDA preset),
 * {@link #openBlas()} (LAPACK {@code dsyevd}, BLAS {@code dsyrk}/{@code dgemm} through JavaCPP's OpenBLAS preset) and
 * {@link #pureJava()} (EJML's symmetric eigen-decomposition and Cholesky factor, blocked loops for the products), all
 * in double precision. {@link #get()} returns the GPU one while models run on a GPU and it loads, else OpenBLAS when
 * its native library loads, else the pure-Java one; the system property {@code flowbench.linalg=java|openblas|cuda}
 * forces one (an unavailable one falls back the same way).
 */
public interface Linalg {
    /** Backend name: {@code cuda}, {@code openblas} or {@code java}. */
    String name();

    /**
     * {@code C += Aᵀ A} on the upper triangle of C (elements (i, j) with j ≥ i; the lower triangle is left alone).
     * A is k × n row-major, C is n × n row-major.
     */
    void syrkUpper(double[] a, int k, int n, double[] c);

    /** {@code C = A B}: A is m × k, B is k × n, C is m × n, all row-major. */
    void gemm(double[] a, double[] b, double[] c, int m, int k, int n);

    /**
     * Symmetric eigen-decomposition of the n × n matrix a (only its upper triangle is read). Eigenvalues go to w in
     * ascending order. With {@code vectors}, a is overwritten by the eigenvectors as columns (a[i*n+j] = U_ij);
     * otherwise a is destroyed.
     */
    void eigh(double[] a, int n, double[] w, boolean vectors);

    /**
     * In-place lower Cholesky factor {@code A = L Lᵀ} of the n × n symmetric matrix a (lower triangle read); on
     * success a holds L (upper triangle zeroed) and the result is true; false if a is not numerically positive
     * definite (a is then garbage).
     */
    boolean cholesky(double[] a, int n);

    /** {@code out = Lᵀ G L} for lower-triangular L and a full n × n G (row-major). */
    void lowerSandwich(double[] l, double[] g, double[] out, int n);

    /** The default backend: the GPU's while models run on one (or when forced), else OpenBLAS, else pure Java. */
    static Linalg get() {
        String forced = System.getProperty("flowbench.linalg", "").toLowerCase(java.util.Locale.ROOT);
        if (forced.equals("java")) {
            return pureJava();
        }
        if (forced.equals("cuda") || (forced.isEmpty() && org.flowbench.engine.device.Devices.currentIsGpu())) {
            Optional<Linalg> gpu = cuda();
            if (gpu.isPresent()) {
                return gpu.get();
            }
        }
        return openBlas().orElseGet(Linalg::pureJava);
    }

    /** The GPU backend, or empty where CUDA's libraries or a GPU are missing ({@link #cudaUnavailableReason()}). */
    static Optional<Linalg> cuda() {
        return CudaKernels.instance();
    }

    /** Why {@link #cuda()} is empty, or null when it is not. */
    static String cudaUnavailableReason() {
        return CudaKernels.unavailableReason();
    }

    static Linalg pureJava() {
        return JavaLinalg.INSTANCE;
    }

    /** The OpenBLAS backend, or empty if its native library cannot be loaded on this machine. */
    static Optional<Linalg> openBlas() {
        return OpenBlasLinalg.instance();
    }

    /** Zeroes the strict upper triangle of an n × n row-major matrix (what a lower Cholesky factor leaves there). */
    static void zeroStrictUpper(double[] a, int n) {
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(a, i * n + i + 1, (i + 1) * n, 0.0);
        }
    }

    /** Mirrors the lower triangle of an n × n row-major matrix into its upper triangle. */
    static void mirrorLower(double[] c, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                c[i * n + j] = c[j * n + i];
            }
        }
    }

    /** Mirrors the upper triangle of an n × n row-major matrix into its lower triangle. */
    static void mirrorUpper(double[] c, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                c[j * n + i] = c[i * n + j];
            }
        }
    }
}
