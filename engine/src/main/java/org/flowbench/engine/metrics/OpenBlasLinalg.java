package org.flowbench.engine.metrics;

import java.util.Optional;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Linalg} on OpenBLAS (JavaCPP preset): {@code cblas_dsyrk}, {@code cblas_dgemm}, {@code LAPACKE_dsyevd}. */
final class OpenBlasLinalg implements Linalg {
    private static final Logger LOG = LoggerFactory.getLogger(OpenBlasLinalg.class);

    private static final class Holder {
        static final OpenBlasLinalg INSTANCE = load();
    }

    private OpenBlasLinalg() {}

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
            return new OpenBlasLinalg();
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
        openblas.cblas_dsyrk(openblas.CblasRowMajor, openblas.CblasUpper, openblas.CblasTrans, n, k, 1.0, a, n, 1.0, c, n);
    }

    @Override
    public void gemm(double[] a, double[] b, double[] c, int m, int k, int n) {
        openblas.cblas_dgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, m, n, k, 1.0, a, k,
                b, n, 0.0, c, n);
    }

    @Override
    public void eigh(double[] a, int n, double[] w, boolean vectors) {
        if (n == 0) {
            return;
        }
        int info = openblas.LAPACKE_dsyevd(openblas.LAPACK_ROW_MAJOR, (byte) (vectors ? 'V' : 'N'), (byte) 'U', n, a, n, w);
        if (info != 0) {
            throw new ArithmeticException("LAPACKE_dsyevd failed, info = " + info);
        }
    }
}
