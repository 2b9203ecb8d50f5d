package org.flowbench.engine.metrics;

/**
 * The dense kernels of column-major BLAS/LAPACK libraries (cuBLAS and cuSOLVER), in their own conventions: matrices
 * column-major with the given leading dimension, and a triangle argument that says which half is read and written;
 * the other half is neither read nor changed. {@link ColumnMajorLinalg} maps Flowbench's row-major {@link Linalg} onto
 * them; keeping the kernels this thin lets a plain-Java implementation of the same conventions test that mapping
 * on a machine without a GPU.
 */
interface ColumnMajorKernels {
    /** {@code C += A Aᵀ} on the {@code lower} (else upper) triangle of the n × n C; A is n × k with leading dimension n. */
    void syrk(boolean lower, int n, int k, double[] a, double[] c);

    /** {@code C = op(A) op(B)}, C m × n (leading dimension m), op(A) m × k, op(B) k × n. */
    void gemm(boolean transA, boolean transB, int m, int n, int k, double[] a, int lda, double[] b, int ldb, double[] c);

    /**
     * Symmetric eigen-decomposition of the n × n A from its {@code lower} (else upper) triangle: ascending eigenvalues
     * into w, and with {@code vectors} the eigenvectors into A's columns. Returns LAPACK's info (0 = success).
     */
    int syevd(boolean vectors, boolean lower, int n, double[] a, double[] w);

    /** Cholesky factor of A from its {@code lower} (A = L Lᵀ) or upper (A = Uᵀ U) triangle, in place; LAPACK's info. */
    int potrf(boolean lower, int n, double[] a);
}
