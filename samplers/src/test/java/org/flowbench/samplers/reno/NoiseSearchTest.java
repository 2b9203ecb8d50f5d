package org.flowbench.samplers.reno;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * ReNO's loop on toy generators with known answers (method reference §6.2): R1 the exact optimiser trace, R2 the
 * closed-form optimum of a quadratic reward with the norm regulariser, R3 the norm guard, and the selection rule
 * (best by reward loss only, earliest of ties, never the regulariser).
 */
class NoiseSearchTest {
    /** G = identity; reward loss w‖z − a·e1‖² and its gradient. */
    private static NoiseSearch.Objective quadratic(int n, int d, double w, double a) {
        return (z, grad) -> {
            double[] loss = new double[n];
            double[] g = grad ? new double[n * d] : null;
            for (int i = 0; i < n; i++) {
                for (int e = 0; e < d; e++) {
                    double diff = z[i * d + e] - (e == 0 ? a : 0);
                    loss[i] += w * diff * diff;
                    if (g != null) {
                        g[i * d + e] = 2 * w * diff;
                    }
                }
            }
            return new NoiseSearch.Evaluation(loss, new double[][] {loss.clone()}, z.clone(), g);
        };
    }

    private static double[] gaussian(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = r.nextGaussian();
        }
        return z;
    }

    @Test
    void r1ExactTraceOfSgdNesterovWithClipAndRegulariser() {
        double[] z = {1, -0.5, 0.25, 2};
        List<double[]> zs = new ArrayList<>();
        NoiseSearch.Outcome o = NoiseSearch.run(1, 4, z, NoiseSearch.Mode.GRADIENT, 4,
                NoiseOptimizer.Settings.defaults(), quadratic(1, 4, 1, 3), new NoiseSearch.Hooks() {
                    @Override
                    public void evaluated(int k, double[] zk, NoiseSearch.Evaluation e) {
                        zs.add(zk.clone());
                    }
                });
        assertEquals(8.3125, o.lossTrace()[0], 1e-12);
        assertEquals(0.001511561986, NoiseOptimizer.regulariser(0.01, zs.get(0), 0, 4), 1e-12);
        assertEquals(2.304886114323, o.normTrace()[0], 1e-12);
        double[][] want = {
                {1.657887096761, -0.334990688874, 0.167495344437, 1.339962755497},
                {2.596531637462, -0.099702336499, 0.049851168250, 0.398809345997},
                {3.785259657704, 0.199435950914, -0.099717975457, -0.797743803656}};
        double[] wantLoss = {3.737040683201, 0.334261308903, 1.302746279434};
        for (int k = 1; k <= 3; k++) {
            assertArrayEquals(want[k - 1], zs.get(k), 1e-9, "z at k = " + k);
            assertEquals(wantLoss[k - 1], o.lossTrace()[k], 1e-9, "reward loss at k = " + k);
        }
        // momentum overshoots at k = 3: the best stays at k = 2, and the returned noise is k = 2's
        assertEquals(2, o.bestIteration()[0]);
        assertArrayEquals(want[1], o.bestNoise(), 1e-9);
        assertEquals(4, o.evaluations());
        // no update after the last evaluation: z is the one evaluated at k = 3
        assertArrayEquals(want[2], z, 1e-9);
    }

    private static double radius(double w, double a, double lambda, int d) {
        return (2 * w * a + Math.sqrt(4 * w * w * a * a + 4 * (2 * w + lambda) * lambda * (d - 1)))
                / (2 * (2 * w + lambda));
    }

    @Test
    void r2ReachesTheClosedFormOptimumOfAQuadraticRewardWithTheNormRegulariser() {
        // small d: 50 default iterations reach r* = 3.4495 and the direction e1
        double rStar = radius(0.01, 3, 0.01, 16);
        assertEquals(3.4495, rStar, 1e-4);
        double[] z = gaussian(16, 1);
        NoiseSearch.run(1, 16, z, NoiseSearch.Mode.GRADIENT, 50, NoiseOptimizer.Settings.defaults(),
                quadratic(1, 16, 0.01, 3), new NoiseSearch.Hooks() {});
        double r = NoiseOptimizer.norm(z, 0, 16);
        assertEquals(rStar, r, 1e-4 * rStar * 10, "radius after 50 iterations");
        assertTrue(z[0] / r > 0.9999, "direction e1: cos = " + z[0] / r);
        // image-sized d: 140.1088 within 1 % after 50 iterations
        int d = 16384;
        double big = radius(1e-3, 256, 0.01, d);
        assertEquals(140.1088, big, 1e-4);
        double[] zb = gaussian(d, 2);
        NoiseSearch.run(1, d, zb, NoiseSearch.Mode.GRADIENT, 50, NoiseOptimizer.Settings.defaults(),
                quadratic(1, d, 1e-3, 256), new NoiseSearch.Hooks() {});
        double rb = NoiseOptimizer.norm(zb, 0, d);
        assertTrue(Math.abs(rb - big) / big < 0.01, "‖z_50‖ = " + rb + " vs r* = " + big);
    }

    /** Reward loss −0.1·z1 (G = identity), d = 16384, 50 iterations. */
    private static double[] linearDrift(double lambda) {
        int d = 16384;
        double[] z = gaussian(d, 3);
        NoiseSearch.Objective linear = (zz, grad) -> {
            double[] g = grad ? new double[d] : null;
            if (g != null) {
                g[0] = -0.1;
            }
            double[] loss = {-0.1 * zz[0]};
            return new NoiseSearch.Evaluation(loss, new double[][] {loss}, zz.clone(), g);
        };
        NoiseOptimizer.Settings s = new NoiseOptimizer.Settings("sgd", 5, 0.9, true, 0.1, lambda);
        NoiseSearch.run(1, d, z, NoiseSearch.Mode.GRADIENT, 50, s, linear, new NoiseSearch.Hooks() {});
        return z;
    }

    @Test
    void r3TheRegulariserBoundsTheNormButLetsTheDirectionChange() {
        int d = 16384;
        double[] free = linearDrift(0);
        double rFree = NoiseOptimizer.norm(free, 0, d);
        assertEquals(241.6, rFree, 0.01 * 241.6, "without λ the norm drifts");
        double[] held = linearDrift(0.01);
        double rHeld = NoiseOptimizer.norm(held, 0, d);
        double ratio = 0.1 / 0.01;
        double rEq = (ratio + Math.sqrt(ratio * ratio + 4 * (d - 1))) / 2;
        assertEquals(133.09, rEq, 0.01);
        assertEquals(133.2, rHeld, 0.01 * 133.2, "with λ = 0.01 the norm settles near r_eq");
        assertEquals(126.4, held[0], 0.02 * 126.4, "z1 (the direction has turned to e1)");
    }

    @Test
    void theBestImageIsChosenByRewardLossAloneEarliestOfTies() {
        // scripted losses 3, 1, 2, 1; the gradient pushes z far from √(d−1), so the regulariser at k = 1 is large
        double[] script = {3, 1, 2, 1};
        int[] calls = {0};
        NoiseSearch.Objective o = (z, grad) -> {
            double l = script[calls[0]++];
            double[] g = grad ? new double[] {-100, 0} : null;
            return new NoiseSearch.Evaluation(new double[] {l}, new double[][] {{-l}}, new double[] {l, z[0]}, g);
        };
        double[] z = {1, 0};
        NoiseSearch.Outcome out = NoiseSearch.run(1, 2, z, NoiseSearch.Mode.GRADIENT, 4,
                new NoiseOptimizer.Settings("sgd", 5, 0.9, true, 0.1, 10), o, new NoiseSearch.Hooks() {});
        assertEquals(1, out.bestIteration()[0]);
        assertEquals(1, out.bestLoss()[0]);
        assertEquals(-1, out.bestRewards()[0][0]);
        assertEquals(1.0, out.bestImages()[0]);
        assertEquals(3, out.initialLoss()[0]);
        assertEquals(3.0, out.initialImages()[0]);
        assertTrue(NoiseOptimizer.regulariser(10, out.bestNoise(), 0, 2) > NoiseOptimizer.regulariser(10,
                new double[] {1, 0}, 0, 2), "the chosen noise has the larger regulariser");
    }

    @Test
    void imageSelectDrawsFreshNoiseAndTakesNoStepNoOptimEvaluatesOnce() {
        int[] fresh = {0};
        double[] z = {0.5, 0.5};
        NoiseSearch.Hooks h = new NoiseSearch.Hooks() {
            @Override
            public void freshNoise(int k, double[] out) {
                fresh[0]++;
                out[0] = 3 - k; // the quadratic loss (z1 − 3)² falls with k
                out[1] = 0;
            }
        };
        NoiseSearch.Outcome sel = NoiseSearch.run(1, 2, z, NoiseSearch.Mode.IMAGE_SELECT, 5,
                NoiseOptimizer.Settings.defaults(), quadratic(1, 2, 1, 3), h);
        assertEquals(4, fresh[0]);
        assertEquals(5, sel.evaluations());
        assertEquals(1, sel.bestIteration()[0], "k = 1 draws z1 = 2, the closest to 3 among 0.5, 2, 1, 0, −1");
        double[] z0 = {0.5, 0.5};
        NoiseSearch.Outcome none = NoiseSearch.run(1, 2, z0, NoiseSearch.Mode.NONE, 50,
                NoiseOptimizer.Settings.defaults(), quadratic(1, 2, 1, 3), h);
        assertEquals(1, none.evaluations());
        assertArrayEquals(new double[] {0.5, 0.5}, none.bestImages());
    }

    @Test
    void adamTakesTheBiasCorrectedFirstStep() {
        // one update: m̂ = g, v̂ = g², so z ← z − lr·g/(|g| + 1e-2) per coordinate (g already under the clip)
        double[] z = {1, 0};
        NoiseOptimizer.Settings s = new NoiseOptimizer.Settings("adam", 0.5, 0.9, true, 10, 0);
        NoiseOptimizer opt = new NoiseOptimizer(s, 2);
        opt.step(z, 0, new double[] {0.2, -0.05}, 0);
        assertEquals(1 - 0.5 * 0.2 / (0.2 + 1e-2), z[0], 1e-12);
        assertEquals(0.5 * 0.05 / (0.05 + 1e-2), z[1], 1e-12);
    }

    @Test
    void learningRateKeepsTheReferenceRelativeStep() {
        assertEquals(5.0, NoiseOptimizer.scaledLr(16384), 1e-12);
        assertEquals(1.0938, NoiseOptimizer.scaledLr(784), 1e-4);
    }
}
