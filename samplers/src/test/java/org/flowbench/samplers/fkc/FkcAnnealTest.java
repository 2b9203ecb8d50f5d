package org.flowbench.samplers.fkc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.model.analytic.GaussianMixture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** §4.3.3: annealing a 1-D mixture to p^β, FKC against the grid truth and the unweighted SDE. */
class FkcAnnealTest {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FkcAnnealTest.class);

    private static void printf(String format, Object... args) {
        LOG.info(String.format(java.util.Locale.ROOT, format, args).strip());
    }

    static final int N = 4000;

    static Map<String, String> params(double beta, boolean correct) {
        Map<String, String> p = new HashMap<>();
        p.put("target", "anneal");
        p.put("beta", Double.toString(beta));
        p.put("steps", "200");
        p.put("particles", Integer.toString(N));
        p.put("output", "all");
        p.put("init", "exact");
        p.put("correct", Boolean.toString(correct));
        return p;
    }

    static double[] pooled(GaussianMixture m, double beta, boolean correct, int seeds) {
        List<SampleBatch> runs = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            runs.add(FkcTestSupport.run(m, params(beta, correct), 100 + s, N, -1));
        }
        return FkcTestSupport.pooled(runs);
    }

    static void check(GaussianMixture m, double beta, double truthBelow, double truthVar) {
        FkcTestSupport.Truth truth = new FkcTestSupport.Truth(x -> beta * m.dataLogDensity(new double[] {x}, 0, -1));
        assertEquals(truthBelow, truth.cdfAt(0), 0.002, "grid truth P(x<0)");
        assertEquals(truthVar, truth.var, 0.01, "grid truth variance");
        double[] fkc = pooled(m, beta, true, 3);
        double[] plain = pooled(m, beta, false, 3);
        double w1 = truth.w1(fkc);
        double w1Plain = truth.w1(plain);
        printf("anneal beta=%.1f: FKC P<0 %.3f var %.3f W1 %.4f | plain P<0 %.3f var %.3f W1 %.4f%n", beta,
                FkcTestSupport.fractionBelow(fkc, 0), FkcTestSupport.variance(fkc), w1,
                FkcTestSupport.fractionBelow(plain, 0), FkcTestSupport.variance(plain), w1Plain);
        assertTrue(w1 <= 0.1, "FKC W1 " + w1);
        assertTrue(w1 * 5 <= w1Plain, "FKC W1 " + w1 + " vs unweighted " + w1Plain);
    }

    @Test
    @Tag("slow")
    void betaTwo() {
        GaussianMixture m = FkcTestSupport.ve1d("anneal", new double[] {0.5, 0.5}, new double[] {-2, 2},
                new double[] {0.3, 1.0}, null);
        check(m, 2, 0.770, 2.99);
    }

    @Test
    @Tag("slow")
    void betaHalf() {
        GaussianMixture m = FkcTestSupport.ve1d("anneal-half", new double[] {0.3, 0.7}, new double[] {-2, 2},
                new double[] {0.5, 0.5}, null);
        check(m, 0.5, 0.396, 4.33);
    }
}
