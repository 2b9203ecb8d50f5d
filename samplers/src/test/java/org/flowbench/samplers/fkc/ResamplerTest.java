package org.flowbench.samplers.fkc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** §4.3.8: the resampler's exact properties. */
class ResamplerTest {
    static final double[] US = {0, 1e-12, 0.1, 0.2499999, 0.25, 0.3, 0.5, 0.74, 0.75, 0.9, 0.999999999};

    @Test
    void systematicOffspringCountsAreExactForEveryU() {
        double[] logw = {Math.log(0.5), Math.log(0.25), Math.log(0.25), Double.NEGATIVE_INFINITY};
        double[] p = Resampler.probabilities(logw, 0, 4);
        for (double u : US) {
            assertArrayEquals(new int[] {2, 1, 1, 0}, Resampler.counts(Resampler.systematic(p, u), 4), "U = " + u);
        }
        for (int i = 0; i < 1000; i++) {
            double u = i / 1000.0;
            assertArrayEquals(new int[] {2, 1, 1, 0}, Resampler.counts(Resampler.systematic(p, u), 4));
        }
    }

    @Test
    void uniformWeightsKeepEveryParticle() {
        double[] p = Resampler.probabilities(new double[] {3, 3, 3, 3}, 0, 4);
        for (double u : US) {
            assertArrayEquals(new int[] {1, 1, 1, 1}, Resampler.counts(Resampler.systematic(p, u), 4));
        }
        assertTrue(Resampler.uniform(new double[] {3, 3, 3, 3}, 0, 4));
        assertEquals(4, Resampler.ess(p), 1e-12);
    }

    @Test
    void addingAConstantChangesNothing() {
        Random r = new Random(1);
        for (int trial = 0; trial < 200; trial++) {
            int n = 2 + r.nextInt(50);
            double[] w = new double[n];
            double[] w2 = new double[n];
            double c = (r.nextDouble() - 0.5) * 1e3;
            for (int i = 0; i < n; i++) {
                w[i] = r.nextGaussian() * 3;
                w2[i] = w[i] + c;
            }
            double u = r.nextDouble();
            double[] p = Resampler.probabilities(w, 0, n);
            double[] p2 = Resampler.probabilities(w2, 0, n);
            assertArrayEquals(p, p2, 1e-12);
            assertArrayEquals(Resampler.systematic(p, u), Resampler.systematic(p2, u));
            assertEquals(Resampler.ess(p), Resampler.ess(p2), 1e-9);
        }
    }

    @Test
    void equalWeightsKeepEverySlotInPlace() {
        double[] p = Resampler.probabilities(new double[] {0, 0, 0, 0, 0}, 0, 5);
        for (double u : US) {
            assertArrayEquals(new int[] {0, 1, 2, 3, 4}, Resampler.systematic(p, u));
        }
    }

    @Test
    void drawFollowsTheWeights() {
        double[] p = {0.1, 0.6, 0.3, 0};
        int[] hits = new int[4];
        int m = 30000;
        for (int i = 0; i < m; i++) {
            hits[Resampler.draw(p, (i + 0.5) / m)]++;
        }
        for (int j = 0; j < 4; j++) {
            assertEquals(p[j], hits[j] / (double) m, 1e-3);
        }
    }

    @Test
    void multinomialUsesOneUniformPerSlot() {
        double[] p = {0.5, 0.25, 0.25, 0};
        int[] a = Resampler.multinomial(p, new double[] {0.1, 0.6, 0.8, 0.99});
        assertArrayEquals(new int[] {0, 1, 2, 2}, a);
        assertEquals(3, Resampler.unique(a));
    }
}
