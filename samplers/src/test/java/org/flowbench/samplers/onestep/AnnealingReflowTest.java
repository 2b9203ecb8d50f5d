package org.flowbench.samplers.onestep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.train.VelocityRegression;
import org.junit.jupiter.api.Test;

/** RF4 (reno-slimflow-nitro-fid.md §6.3): the β schedules, the variance-preserving mix, the endpoints, the flip. */
class AnnealingReflowTest {
    @Test
    void schedules() {
        AnnealingReflow.Beta lin = AnnealingReflow.Beta.parse("linear:1000");
        assertEquals(1.0, lin.at(0));
        assertEquals(0.75, lin.at(250), 1e-12);
        assertEquals(0.5, lin.at(500), 1e-12);
        assertEquals(0.0, lin.at(1000));
        assertEquals(0.0, lin.at(5000));
        AnnealingReflow.Beta exp = AnnealingReflow.Beta.parse("exp:1000");
        assertEquals(1.0, exp.at(0));
        assertEquals(Math.exp(-1), exp.at(1000), 1e-12);
        AnnealingReflow.Beta cos = AnnealingReflow.Beta.parse("cos:1000");
        assertEquals(1.0, cos.at(0));
        assertEquals(0.5, cos.at(500), 1e-12);
        assertEquals(0.0, cos.at(1000), 1e-12);
        assertEquals(0.0, cos.at(3000), 1e-12);
        assertEquals(0.3, AnnealingReflow.Beta.parse("fix:0.3").at(12345));
        assertEquals("linear:1000", lin.toString());
        for (String bad : List.of("linear", "linear:0", "sqrt:10", "fix:1.5", "exp:x")) {
            assertThrows(FlowbenchException.class, () -> AnnealingReflow.Beta.parse(bad), bad);
        }
    }

    @Test
    void mixKeepsUnitVarianceForEveryBeta() {
        int n = 100_000;
        SplittableRandom g = new SplittableRandom(1);
        float[] z = new float[n];
        for (int i = 0; i < n; i++) {
            z[i] = (float) g.nextGaussian();
        }
        for (double beta : new double[] {0, 0.3, 0.7, 0.95, 1}) {
            float[] out = new float[n];
            AnnealingReflow.mix(z, 0, n, beta, new SplittableRandom(2), out, 0);
            double s = 0;
            double ss = 0;
            double cross = 0;
            for (int i = 0; i < n; i++) {
                s += out[i];
                ss += out[i] * out[i];
                cross += out[i] * z[i];
            }
            double var = ss / n - (s / n) * (s / n);
            assertEquals(1.0, var, 0.01, "variance at β " + beta);
            // the coupling kept: corr(z̃, z) = √(1 − β²)
            assertEquals(Math.sqrt(1 - beta * beta), cross / n, 0.01, "correlation at β " + beta);
        }
    }

    /** β = 1 is 1-RF on teacher samples (the batch does not depend on z), β = 0 exact reflow (z̃ = z). */
    @Test
    void endpointsAreOneRectifiedFlowAndReflow() {
        TeacherPairs.Pairs a = pairs(1);
        TeacherPairs.Pairs b = new TeacherPairs.Pairs(a.n(), a.shape(), pairs(99).z(), a.x1(), a.labels(), Map.of());
        AnnealingReflow.Flip off = AnnealingReflow.Flip.off(2);
        VelocityRegression.Batch ba = AnnealingReflow.source(a, AnnealingReflow.Beta.parse("fix:1"), off, 8, 1e-3, 4)
                .batch(1, new SplittableRandom(5));
        VelocityRegression.Batch bb = AnnealingReflow.source(b, AnnealingReflow.Beta.parse("fix:1"), off, 8, 1e-3, 4)
                .batch(1, new SplittableRandom(5));
        assertArrayEquals(ba.x(), bb.x());
        assertArrayEquals(ba.target(), bb.target());

        // β = 0 (step after the linear horizon): target = x1 − z and x_t = t·x1 + (1 − t)·z exactly
        VelocityRegression.Batch r = AnnealingReflow.source(a, AnnealingReflow.Beta.parse("linear:10"), off, 8, 1e-3, 4)
                .batch(11, new SplittableRandom(6));
        int d = a.dim();
        for (int j = 0; j < 8; j++) {
            int i = pairIndex(a, r, j);
            double t = r.t()[j];
            assertTrue(t >= 1e-3 && t <= 1);
            for (int k = 0; k < d; k++) {
                assertEquals(a.x1()[i * d + k] - a.z()[i * d + k], r.target()[j * d + k], 1e-6);
                assertEquals(t * a.x1()[i * d + k] + (1 - t) * a.z()[i * d + k], r.x()[j * d + k], 1e-5);
            }
        }
    }

    /** One coin per batch; only the flippable labels' pairs are mirrored, both members. */
    @Test
    void flipMirrorsWholeBatchesOfFlippableLabels() {
        TeacherPairs.Pairs p = pairs(3);
        AnnealingReflow.Flip flip = AnnealingReflow.Flip.parse("a", List.of("a", "b"));
        assertEquals("a", flip.description());
        int d = p.dim();
        int flippedBatches = 0;
        for (long step = 1; step <= 40; step++) {
            VelocityRegression.Batch r = AnnealingReflow.source(p, AnnealingReflow.Beta.parse("fix:0"), flip, 8, 1e-3, 4)
                    .batch(step, new SplittableRandom(step));
            Boolean coin = null;
            for (int j = 0; j < 8; j++) {
                int i = pairIndex(p, r, j);
                float[] target = new float[d];
                for (int k = 0; k < d; k++) {
                    target[k] = p.x1()[i * d + k] - p.z()[i * d + k];
                }
                float[] got = java.util.Arrays.copyOfRange(r.target(), j * d, (j + 1) * d);
                boolean same = java.util.Arrays.equals(target, got);
                TeacherPairs.flipW(target, 3);
                boolean mirrored = java.util.Arrays.equals(target, got);
                assertTrue(same || mirrored);
                if (p.labels()[i] != 0) {
                    assertTrue(same, "label " + p.labels()[i] + " is not flippable");
                } else if (coin == null) {
                    coin = mirrored;
                } else {
                    assertEquals(coin, mirrored, "one coin per batch");
                }
            }
            flippedBatches += Boolean.TRUE.equals(coin) ? 1 : 0;
        }
        assertTrue(flippedBatches > 8 && flippedBatches < 32, "about half the batches: " + flippedBatches);
        assertThrows(FlowbenchException.class, () -> AnnealingReflow.Flip.parse("c", List.of("a", "b")));
        assertTrue(AnnealingReflow.Flip.parse("unconditional,1", List.of("a", "b")).flips(-1));
    }

    /** 16 pairs of 1×2×3 images with labels cycling a, b, unconditional; x1 distinct from any mirror of itself. */
    private static TeacherPairs.Pairs pairs(long seed) {
        SplittableRandom g = new SplittableRandom(seed);
        int n = 16;
        int d = 6;
        float[] z = new float[n * d];
        float[] x1 = new float[n * d];
        int[] labels = new int[n];
        for (int i = 0; i < n * d; i++) {
            z[i] = (float) g.nextGaussian();
            x1[i] = i; // a ramp: unique per pair and never symmetric
        }
        for (int i = 0; i < n; i++) {
            labels[i] = TeacherPairs.label(i, 2);
        }
        return new TeacherPairs.Pairs(n, new int[] {1, 2, 3}, z, x1, labels, Map.of());
    }

    /** Which pair row j of the batch came from: x1 of the ramp identifies it (mirrored or not) by its row sum. */
    private static int pairIndex(TeacherPairs.Pairs p, VelocityRegression.Batch b, int j) {
        int d = p.dim();
        assertEquals(p.labels().length, p.n());
        for (int i = 0; i < p.n(); i++) {
            double sum = 0;
            for (int k = 0; k < d; k++) {
                sum += p.x1()[i * d + k];
            }
            if (Math.abs(sum - x1Sum(b, j, d)) < 1e-3) {
                return i;
            }
        }
        throw new AssertionError("row " + j + " matches no pair");
    }

    /** Σ x1 of batch row j, from x_t = t·x1 + (1 − t)·z̃ and target = x1 − z̃: x1 = x_t + (1 − t)·target. */
    private static double x1Sum(VelocityRegression.Batch b, int j, int d) {
        double t = b.t()[j];
        double s = 0;
        for (int k = 0; k < d; k++) {
            s += b.x()[j * d + k] + (1 - t) * b.target()[j * d + k];
        }
        return s;
    }
}
