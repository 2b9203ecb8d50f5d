package org.flowbench.app.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.flowbench.engine.metrics.GaussianStats;
import org.flowbench.engine.metrics.IdentityFeatures;
import org.flowbench.engine.metrics.KidEstimator;
import org.flowbench.engine.metrics.ReferenceStats;
import org.flowbench.engine.random.NoiseSource;
import org.junit.jupiter.api.Test;

/**
 * The live figures of an image lane: FID not estimable up to the feature dimension, KID with its interval, and the
 * costly estimates (bootstrap interval, extrapolation) redone only when N has grown by a tenth, while the final
 * figures are always brought up to the last sample.
 */
class FeatureQualityTest {
    private static double[] gaussian(int n, int d, double shift, long seed) {
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) {
            NoiseSource.gaussian(seed, i, 0, x, i * d, d);
        }
        for (int i = 0; i < x.length; i++) {
            x[i] += shift;
        }
        return x;
    }

    @Test
    void figuresAtEveryNAndCostlyOnesOnlyWhenTheyCanChange() {
        int d = 4;
        GaussianStats g = new GaussianStats(d);
        double[] ref = gaussian(3000, d, 0, 1);
        g.addBatch(ref, 3000);
        ReferenceStats rs = new ReferenceStats(new ReferenceStats.Identity("ref", "-", 0, "identity", "-", "-",
                "float"), g).withKidFeatures(KidEstimator.subsetRows(ref, 3000, d, 500, 0));
        FeatureQuality q = new FeatureQuality(new IdentityFeatures(d), rs);
        q.add(gaussian(4, d, 0.3, 2), 4);
        Map<String, Double> small = q.compute();
        assertEquals(5, small.get("fidMinN"), "FID needs more samples than dimensions");
        assertTrue(small.get("kidLow") <= small.get("kid") && small.get("kid") <= small.get("kidHigh"));
        double[] more = gaussian(2000, d, 0.3, 3);
        q.add(more, 1000);
        Map<String, Double> at1004 = q.compute();
        assertTrue(at1004.containsKey("fidPred") && at1004.containsKey("fidLow"), at1004.toString());
        double predicted = at1004.get("fidPred");
        q.add(java.util.Arrays.copyOfRange(more, 1000 * d, 1050 * d), 50); // +5 %: the costly figures are kept
        Map<String, Double> at1054 = q.compute();
        assertEquals(predicted, at1054.get("fidPred"), 0);
        assertTrue(at1054.get("fidLow") <= at1054.get("fid") && at1054.get("fid") <= at1054.get("fidHigh"));
        Map<String, Double> last = q.computeFinal();
        assertTrue(last.get("fidPred") != predicted, "the final figures are brought up to the last sample");
        q.add(java.util.Arrays.copyOfRange(more, 1050 * d, 1200 * d), 150); // +14 %: redone
        assertTrue(q.compute().get("fidPred") != last.get("fidPred"));
    }
}
