package org.flowbench.samplers.fkc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.model.analytic.GaussianMixture;
import org.flowbench.engine.model.analytic.MixtureSpec;
import org.flowbench.engine.run.SampleBatch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * FKC's accuracy on all three paths: rectified flow and VP, where the target's drift has the (1 − Σβ)(α'/α)x term
 * that vanishes on VE (so VE alone cannot see it), and VE: annealing to p², CFG with w = 2 and the product of two
 * experts on 1-D mixtures, pooled over 6 seeds, against the grid truth and the unweighted SDE. Zeroing that term (checked by hand, docs/methods-boss-fkc.md)
 * takes W1 on rectified flow from about 0.05 to several units: these tests fail then.
 */
class FkcPathsTest {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    private static final int N = 2000;
    private static final int SEEDS = 6;

    static GaussianMixture mixture(String path, double[] w, double[] mu, double[] s, int[] labels) {
        double[][] means = new double[mu.length][];
        for (int j = 0; j < mu.length; j++) {
            means[j] = new double[] {mu[j]};
        }
        return new GaussianMixture(path + "-1d", new MixtureSpec(path, w, means, s, labels, null, 0.01, 10));
    }

    private static double[] pooled(GaussianMixture m, Map<String, String> p, int label, int seeds) {
        List<SampleBatch> runs = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            runs.add(FkcTestSupport.run(m, p, 300 + s, N, label));
        }
        return FkcTestSupport.pooled(runs);
    }

    private static Map<String, String> base(boolean correct) {
        Map<String, String> p = new HashMap<>();
        p.put("steps", "200");
        p.put("particles", Integer.toString(N));
        p.put("output", "all");
        p.put("correct", Boolean.toString(correct));
        return p;
    }

    private static void compare(FkcTestSupport.Truth truth, GaussianMixture m, Map<String, String> p, int label,
                                String what) {
        compare(truth, m, p, label, what, SEEDS);
    }

    private static void compare(FkcTestSupport.Truth truth, GaussianMixture m, Map<String, String> p, int label,
                                String what, int seeds) {
        double[] fkc = pooled(m, p, label, seeds);
        Map<String, String> plain = new HashMap<>(p);
        plain.put("correct", "false");
        double w1 = truth.w1(fkc);
        double w1Plain = truth.w1(pooled(m, plain, label, seeds));
        org.slf4j.LoggerFactory.getLogger(FkcPathsTest.class).info(String.format(java.util.Locale.ROOT,
                "%s: FKC W1 %.4f, unweighted %.4f", what, w1, w1Plain));
        assertTrue(w1 <= 0.15, what + ": FKC W1 " + w1);
        assertTrue(w1 * 3 <= w1Plain, what + ": FKC W1 " + w1 + " vs unweighted " + w1Plain);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rectified-flow", "vp", "ve"})
    @Tag("slow")
    void annealToTheSquare(String path) {
        GaussianMixture m = mixture(path, new double[] {0.5, 0.5}, new double[] {-2, 2}, new double[] {0.3, 1.0},
                null);
        FkcTestSupport.Truth truth = new FkcTestSupport.Truth(x -> 2 * m.dataLogDensity(new double[] {x}, 0, -1));
        Map<String, String> p = base(true);
        p.put("target", "anneal");
        p.put("beta", "2");
        p.put("init", "exact");
        compare(truth, m, p, -1, "anneal β = 2 on " + path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rectified-flow", "vp", "ve"})
    @Tag("slow")
    void classifierFreeGuidance(String path) {
        GaussianMixture m = mixture(path, new double[] {0.5, 0.5}, new double[] {-1, 1}, new double[] {0.8, 0.8},
                new int[] {0, 1});
        double w = 2;
        FkcTestSupport.Truth truth = new FkcTestSupport.Truth(x -> (1 - w) * m.dataLogDensity(new double[] {x}, 0, -1)
                + w * m.dataLogDensity(new double[] {x}, 0, 1));
        Map<String, String> p = base(true);
        p.put("target", "cfg");
        p.put("guidance", "2");
        compare(truth, m, p, 1, "CFG w = 2 on " + path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rectified-flow", "vp", "ve"})
    @Tag("slow")
    void productOfTwoExperts(String path) throws Exception {
        GaussianMixture q1 = mixture(path, new double[] {0.5, 0.5}, new double[] {-2, 2}, new double[] {0.7, 0.7},
                null);
        GaussianMixture q2 = mixture(path, new double[] {0.5, 0.5}, new double[] {-1.5, 1}, new double[] {1.0, 0.5},
                null);
        java.nio.file.Path spec2 = dir.resolve("q2-" + path + ".json");
        java.nio.file.Files.writeString(spec2, org.flowbench.engine.io.Json.MAPPER.writeValueAsString(q2.spec().toJson()));
        FkcTestSupport.Truth truth = new FkcTestSupport.Truth(x -> q1.dataLogDensity(new double[] {x}, 0, -1)
                + q2.dataLogDensity(new double[] {x}, 0, -1));
        Map<String, String> p = base(true);
        p.put("target", "product");
        p.put("beta", "1");
        p.put("expert2", spec2.toString());
        p.put("init", "exact");
        // the product's weights spread more than annealing's (two experts' increments): 6 pooled seeds on VP gave
        // W1 0.17 at 200 steps and 0.02 at 100; 24 seeds gave 0.066 (12: 0.10), so it is judged on 24
        compare(truth, q1, p, -1, "product of two experts on " + path, 24);
    }
}
