package org.flowbench.samplers.fkc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.model.analytic.GaussianMixture;
import org.flowbench.engine.run.SampleBatch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** §4.3.4–5: product of two mixtures and CFG as a geometric average, against exact answers. */
class FkcTargetsTest {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FkcTargetsTest.class);

    private static void printf(String format, Object... args) {
        LOG.info(String.format(java.util.Locale.ROOT, format, args).strip());
    }

    static final int N = 4000;

    static Map<String, String> base(boolean correct) {
        Map<String, String> p = new HashMap<>();
        p.put("steps", "200");
        p.put("particles", Integer.toString(N));
        p.put("output", "all");
        p.put("init", "exact");
        p.put("correct", Boolean.toString(correct));
        return p;
    }

    static double[] pooled(GaussianMixture m, Map<String, String> p, int label) {
        List<SampleBatch> runs = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            runs.add(FkcTestSupport.run(m, p, 200 + s, N, label));
        }
        return FkcTestSupport.pooled(runs);
    }

    @Test
    @Tag("slow")
    void productOfTwoMixtures(@TempDir Path dir) throws Exception {
        GaussianMixture q1 = FkcTestSupport.ve1d("q1", new double[] {0.5, 0.5}, new double[] {-2, 2},
                new double[] {0.7, 0.7}, null);
        GaussianMixture q2 = FkcTestSupport.ve1d("q2", new double[] {0.5, 0.5}, new double[] {-1.5, 1},
                new double[] {1.0, 0.5}, null);
        Path spec2 = dir.resolve("q2.json");
        Files.writeString(spec2, Json.MAPPER.writeValueAsString(q2.spec().toJson()));
        FkcTestSupport.Truth truth = new FkcTestSupport.Truth(x -> q1.dataLogDensity(new double[] {x}, 0, -1)
                + q2.dataLogDensity(new double[] {x}, 0, -1));
        assertEquals(0.555, truth.cdfAt(0), 0.002);
        assertEquals(-0.426, truth.mean, 0.002);
        Map<String, String> p = base(true);
        p.put("target", "product");
        p.put("beta", "1");
        p.put("expert2", spec2.toString());
        double[] fkc = pooled(q1, p, -1);
        Map<String, String> pp = new HashMap<>(p);
        pp.put("correct", "false");
        double[] plain = pooled(q1, pp, -1);
        double w1 = truth.w1(fkc);
        double w1Plain = truth.w1(plain);
        printf("product: FKC P<0 %.3f mean %.3f W1 %.4f | plain P<0 %.3f mean %.3f W1 %.4f%n",
                FkcTestSupport.fractionBelow(fkc, 0), FkcTestSupport.mean(fkc), w1,
                FkcTestSupport.fractionBelow(plain, 0), FkcTestSupport.mean(plain), w1Plain);
        assertTrue(w1 <= 0.1, "FKC W1 " + w1);
        assertTrue(w1 * 5 <= w1Plain, "FKC W1 " + w1 + " vs unweighted " + w1Plain);
        // the tempered-noise member of (q1·q2)^β has ζ = 1/√β (method reference §2.2): for β = 1 it is the
        // target-score SDE itself, not one tempered by Σβ = 2
        Map<String, String> tempered = new HashMap<>(p);
        tempered.put("variant", "tempered-noise");
        org.junit.jupiter.api.Assertions.assertArrayEquals(fkc, pooled(q1, tempered, -1));
        assertEquals(1 / Math.sqrt(3), FkcSampler.zeta("tempered-noise",
                FkcSampler.temperingExponent("product", new double[] {3, 3}, 6)), 1e-15);
    }

    static void cfg(double w, double truthMean, double truthSd) {
        // label 0: N(−1, 0.8²), label 1: N(1, 0.8²); unconditional: both with weight ½
        GaussianMixture m = new GaussianMixture("cfg", new org.flowbench.engine.model.analytic.MixtureSpec("ve",
                new double[] {0.5, 0.5}, new double[][] {{-1}, {1}}, new double[] {0.8, 0.8}, new int[] {0, 1}, null,
                0.01, 10));
        FkcTestSupport.Truth truth = new FkcTestSupport.Truth(x -> (1 - w) * m.dataLogDensity(new double[] {x}, 0, -1)
                + w * m.dataLogDensity(new double[] {x}, 0, 1));
        assertEquals(truthMean, truth.mean, 0.002);
        assertEquals(truthSd, Math.sqrt(truth.var), 0.002);
        Map<String, String> p = base(true);
        p.put("target", "cfg");
        p.put("guidance", Double.toString(w));
        double[] fkc = pooled(m, p, 1);
        Map<String, String> pp = new HashMap<>(p);
        pp.put("correct", "false");
        double[] plain = pooled(m, pp, 1);
        double w1 = truth.w1(fkc);
        double w1Plain = truth.w1(plain);
        printf("cfg w=%.0f: FKC mean %.3f sd %.3f W1 %.4f | CFG-only mean %.3f sd %.3f W1 %.4f%n", w,
                FkcTestSupport.mean(fkc), Math.sqrt(FkcTestSupport.variance(fkc)), w1, FkcTestSupport.mean(plain),
                Math.sqrt(FkcTestSupport.variance(plain)), w1Plain);
        assertTrue(w1 <= 0.1, "FKC W1 " + w1);
        assertTrue(w1 * 5 <= w1Plain, "FKC W1 " + w1 + " vs CFG only " + w1Plain);
    }

    @Test
    @Tag("slow")
    void cfgTwo() {
        cfg(2, 1.181, 0.696);
    }

    @Test
    @Tag("slow")
    void cfgFour() {
        cfg(4, 1.324, 0.631);
    }
}
