package org.flowbench.engine.metrics;

import java.util.Optional;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.openblas.global.openblas_full;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Linalg} on OpenBLAS (JavaCPP preset): {@code cblas_dsyrk}, {@code cblas_dgemm}, {@code LAPACKE_dsyevd}. */
final class OpenBlasLinalg implements Linalg {
    private static final Logger LOG = LoggerFactory.getLogger(OpenBlasLinalg.class);

    private static final class Holder {
        static final OpenBlasLinalg INSTANCE = load();
    }

    /** Below this many multiply-adds an operation runs on one OpenBLAS thread (thread hand-offs cost more). */
    private static final double SMALL = 1 << 24;
    private final int maxThreads;
    private int threads;

    private OpenBlasLinalg(int maxThreads) {
        this.maxThreads = maxThreads;
        this.threads = maxThreads;
    }

    /**
     * One thread for small problems, all for large ones. On a busy machine a multi-threaded call on a 128 × 128
     * matrix waits for a descheduled worker thread and takes tens of milliseconds instead of one.
     */
    private synchronized void threadsFor(double work) {
        int want = work < SMALL ? 1 : maxThreads;
        if (want != threads && maxThreads > 1) {
            openblas_full.openblas_set_num_threads(want);
            threads = want;
        }
    }

    static Optional<Linalg> instance() {
        return Optional.ofNullable(Holder.INSTANCE);
    }

    private static OpenBlasLinalg load() {
        try {
            Loader.load(openblas.class);
            // Smoke test: a 2 x 2 eigen-solve, so a broken native library is caught here and not mid-metric.
            double[] a = {2, 1, 1, 2};
            double[] w = new double[2];
            int info = openblas.LAPACKE_dsyevd(openblas.LAPACK_ROW_MAJOR, (byte) 'N', (byte) 'U', 2, a, 2, w);
            if (info != 0 || Math.abs(w[0] - 1) > 1e-12 || Math.abs(w[1] - 3) > 1e-12) {
                LOG.warn("OpenBLAS self-test failed (info {}); using the pure-Java linear algebra", info);
                return null;
            }
            int max = 1;
            try {
                Loader.load(openblas_full.class); // same libopenblas.so; exposes openblas_set_num_threads
                max = Math.max(1, openblas_full.openblas_get_num_threads());
            } catch (Throwable t) {
                LOG.debug("OpenBLAS thread control unavailable: {}", t.toString());
            }
            return new OpenBlasLinalg(max);
        } catch (Throwable t) {
            LOG.info("OpenBLAS native library not available ({}); using the pure-Java linear algebra", t.toString());
            return null;
        }
    }

    @Override
    public String name() {
        return "openblas";
    }

    @Override
    public void syrkUpper(double[] a, int k, int n, double[] c) {
        if (k == 0) {
            return;
        }
        threadsFor((double) k * n * n / 2);
        openblas.cblas_dsyrk(openblas.CblasRowMajor, openblas.CblasUpper, openblas.CblasTrans, n, k, 1.0, a, n, 1.0, c, n);
    }

    @Override
    public void gemm(double[] a, double[] b, double[] c, int m, int k, int n) {
        threadsFor((double) m * n * k);
        openblas.cblas_dgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, m, n, k, 1.0, a, k,
                b, n, 0.0, c, n);
    }

    @Override
    public boolean cholesky(double[] a, int n) {
        threadsFor((double) n * n * n / 3);
        int info = openblas.LAPACKE_dpotrf(openblas.LAPACK_ROW_MAJOR, (byte) 'L', n, a, n);
        if (info != 0) {
            return false;
        }
        Linalg.zeroStrictUpper(a, n);
        return true;
    }

    @Override
    public void lowerSandwich(double[] l, double[] g, double[] out, int n) {
        threadsFor((double) n * n * n);
        System.arraycopy(g, 0, out, 0, n * n);
        // out = G L, then out = Lᵀ out
        openblas.cblas_dtrmm(openblas.CblasRowMajor, openblas.CblasRight, openblas.CblasLower, openblas.CblasNoTrans,
                openblas.CblasNonUnit, n, n, 1.0, l, n, out, n);
        openblas.cblas_dtrmm(openblas.CblasRowMajor, openblas.CblasLeft, openblas.CblasLower, openblas.CblasTrans,
                openblas.CblasNonUnit, n, n, 1.0, l, n, out, n);
    }

    @Override
    public void eigh(double[] a, int n, double[] w, boolean vectors) {
        if (n == 0) {
            return;
        }
        // Always one thread: the tridiagonal reduction synchronises the OpenBLAS threads once per column, so on a busy
        // machine (metrics run while lanes sample) a descheduled worker stalls every step. Measured at n = 2048 on
        // 2 cores (docs/benchmarks.md): idle 0.63 s on one thread vs 0.42 s on two; with a sampler running
        // 1.0 s vs 1.5–11 s. (LAPACKE_dsyevd_2stage for eigenvalues only was no faster.)
        threadsFor(0);
        int info = openblas.LAPACKE_dsyevd(openblas.LAPACK_ROW_MAJOR, (byte) (vectors ? 'V' : 'N'), (byte) 'U', n, a, n, w);
        if (info != 0) {
            throw new ArithmeticException("LAPACKE_dsyevd failed, info = " + info);
        }
    }
}
