package org.flowbench.engine.metrics;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Time of each step of a 2048-d FD with OpenBLAS (opt-in: -Dflowbench.bench=true -Dtest=FrechetProfile). */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "flowbench.bench", matches = "true")
class FrechetProfile {
    private static final Logger LOG = LoggerFactory.getLogger(FrechetProfile.class);

    @Test
    void profile() {
        Linalg ob = Linalg.openBlas().orElseThrow();
        int d = 2048;
        SplittableRandom rnd = new SplittableRandom(1);
        double[] x = new double[4096 * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextGaussian();
        }
        GaussianStats s = new GaussianStats(d, ob);
        s.addBatch(x, 4096);
        double[] cov = s.covariance();
        for (int rep = 0; rep < 2; rep++) {
            long t0 = System.nanoTime();
            double[] l = cov.clone();
            ob.cholesky(l, d);
            long t1 = System.nanoTime();
            double[] m = new double[d * d];
            ob.lowerSandwich(l, cov, m, d);
            long t2 = System.nanoTime();
            double[] w = new double[d];
            ob.eigh(m.clone(), d, w, false);
            long t3 = System.nanoTime();
            double[] t = new double[d * d];
            ob.gemm(l, cov, t, d, d, d);
            long t4 = System.nanoTime();
            double[] mm = m.clone();
            long t5 = System.nanoTime();
            int info2 = org.bytedeco.openblas.global.openblas.LAPACKE_dsyevd_2stage(
                    org.bytedeco.openblas.global.openblas.LAPACK_ROW_MAJOR, (byte) 'N', (byte) 'U', d, mm, d, w);
            long t6 = System.nanoTime();
            mm = m.clone();
            int info1 = org.bytedeco.openblas.global.openblas.LAPACKE_dsyevd(
                    org.bytedeco.openblas.global.openblas.LAPACK_ROW_MAJOR, (byte) 'N', (byte) 'U', d, mm, d, w);
            long t7 = System.nanoTime();
            LOG.info("dsyevd_2stage N: info {} {} ms; dsyevd N: info {} {} ms", info2, (t6 - t5) / 1_000_000, info1,
                    (t7 - t6) / 1_000_000);
            LOG.info("d={} potrf {} ms, 2×trmm {} ms, eigvals {} ms, one dgemm {} ms", d, (t1 - t0) / 1_000_000,
                    (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000);
        }
    }
}
