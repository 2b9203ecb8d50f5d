package org.flowbench.samplers.disa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.flowbench.engine.model.Condition;
import org.flowbench.engine.model.analytic.GmmTokenOracle;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.samplers.disa.HeadSteps.Strategy;
import org.junit.jupiter.api.Test;

/**
 * DiSA on the oracle token model with exact conditionals (method reference §4.4.2; no training, so only the head's
 * step count differs between runs): the premise (a token's head ODE gets easier as more tokens are known) against
 * the reference table, and the end-to-end comparison of DiSA 50→5 with constant head steps on mode proportions and
 * on the coupled error against a 400-step reference, over three mixtures.
 */
class OracleTokenToyTest {
    private static final int[] OBSERVED = {0, 1, 4, 15};
    private static final int[] STEPS = {1, 2, 3, 5, 10, 25, 50};
    /** Coupled error E|x_n − x_400| of the head ODE (reference values from an independent numpy prototype). */
    private static final double[][] PREMISE = {
        {1.036, 0.465, 0.302, 0.173, 0.086, 0.034, 0.016},
        {0.431, 0.230, 0.155, 0.096, 0.049, 0.021, 0.010},
        {0.199, 0.150, 0.114, 0.074, 0.039, 0.016, 0.008},
        {0.194, 0.148, 0.112, 0.073, 0.038, 0.016, 0.007}};

    private static double euler(GmmTokenOracle m, double z, int steps, double[] ctx, int row) {
        double x = z;
        for (int j = 0; j < steps; j++) {
            x += m.velocity(x, (double) j / steps, ctx, row) / steps;
        }
        return x;
    }

    @Test
    void headErrorFallsAsTokensBecomeKnownAsTheReferenceTable() {
        // the row without known tokens depends on where the drawn means fall (one mixture's figure at 5 steps has an
        // sd of 0.023 around 0.18): average over many mixtures, few draws each
        int mixtures = 64;
        int draws = 250;
        double[][] err = new double[OBSERVED.length][STEPS.length];
        for (int g = 0; g < mixtures; g++) {
            GmmTokenOracle m = GmmTokenOracle.premiseToy(g);
            int len = m.tokens();
            SplittableRandom rng = new SplittableRandom(1000 + g);
            double[] x = new double[len];
            int[] comp = new int[1];
            boolean[] known = new boolean[len];
            double[] ctx = new double[len * m.contextDim()];
            for (int d = 0; d < draws; d++) {
                m.sample(rng, x, comp);
                int[] order = DisaLoop.order(g, d, len);
                double z = rng.nextGaussian();
                for (int o = 0; o < OBSERVED.length; o++) {
                    java.util.Arrays.fill(known, false);
                    for (int j = 0; j < OBSERVED[o]; j++) {
                        known[order[j]] = true;
                    }
                    int target = order[OBSERVED[o]];
                    m.context(x, 0, known, 0, ctx, 0);
                    int row = target * m.contextDim();
                    double ref = euler(m, z, 400, ctx, row);
                    for (int s = 0; s < STEPS.length; s++) {
                        err[o][s] += Math.abs(euler(m, z, STEPS[s], ctx, row) - ref) / (mixtures * draws);
                    }
                }
            }
        }
        StringBuilder table = new StringBuilder();
        for (int o = 0; o < OBSERVED.length; o++) {
            table.append(String.format("observed %2d:", OBSERVED[o]));
            for (int s = 0; s < STEPS.length; s++) {
                table.append(String.format(" %.3f", err[o][s]));
            }
            table.append('\n');
        }
        System.out.print("DiSA premise, coupled head error (rows: observed tokens; columns: 1 2 3 5 10 25 50 steps)\n" + table);
        for (int o = 0; o < OBSERVED.length; o++) {
            for (int s = 0; s < STEPS.length; s++) {
                // within 10 % of the reference, plus its own rounding to three decimals. The row without known
                // tokens within 20 %: it depends on where one mixture's means fall (at 5 steps one mixture's figure
                // has an sd of ≈ 0.023; means over 64 mixtures of 0.187–0.200 were measured, the reference's 0.173
                // is one prototype's draw), so what it must show is the acceptance rule below: a strict drop once
                // tokens are known and a plateau once the component is identified
                double tol = (OBSERVED[o] == 0 ? 0.2 : 0.1) * PREMISE[o][s] + 0.0005;
                assertEquals(PREMISE[o][s], err[o][s], tol,
                        "observed " + OBSERVED[o] + ", " + STEPS[s] + " steps\n" + table);
                if (o > 0) {
                    assertTrue(err[o][s] <= err[o - 1][s] * 1.05, "non-increasing in known tokens\n" + table);
                }
            }
            assertTrue(err[o][3] < err[0][4] || o == 0 || o == 1, "5 steps late beat 10 steps early\n" + table);
        }
        for (int s = 0; s < STEPS.length; s++) {
            assertTrue(err[2][s] < 0.75 * err[0][s], "strict drop from 0 to 4 known tokens\n" + table);
            assertEquals(err[2][s], err[3][s], 0.05 * err[2][s] + 0.0005, "plateau from 4 to 15 known\n" + table);
        }
    }

    private record Run(double[] tokens, long headPerImage, long sequential) {}

    private static Run run(GmmTokenOracle m, long seed, int n, int k, Strategy s, int upper, int lower) {
        DisaLoop.Result r = DisaLoop.sample(m, seed, 0, n, Condition.of(null, n),
                new DisaLoop.Settings(s, upper, lower, k, 1.0, 1.0), CancellationToken.NONE);
        return new Run(r.tokens(), r.headPerImage(), r.sequentialHeadSteps());
    }

    private static double modeTv(GmmTokenOracle m, double[] x, int n) {
        double[] p = new double[m.components()];
        for (int i = 0; i < n; i++) {
            p[m.mode(x, i * m.tokens())] += 1.0 / n;
        }
        double[] pi = m.weights();
        double tv = 0;
        for (int c = 0; c < p.length; c++) {
            tv += 0.5 * Math.abs(p[c] - pi[c]);
        }
        return tv;
    }

    private static double coupled(double[] a, double[] b) {
        double e = 0;
        for (int i = 0; i < a.length; i++) {
            e += Math.abs(a[i] - b[i]) / a.length;
        }
        return e;
    }

    @Test
    void disaKeepsConstant50QualityAtAFractionOfTheHeadCost() {
        int n = 1500;
        for (int k : new int[] {8, 16}) {
            double[] tv = new double[5];
            double[] tvC50 = new double[3];
            double[] err = new double[5];
            {
                for (int g = 0; g < 3; g++) {
                    GmmTokenOracle m = GmmTokenOracle.premiseToy(100 + g);
                    Run ref = run(m, g, n, k, Strategy.CONSTANT, 400, 400);
                    Run c50 = run(m, g, n, k, Strategy.CONSTANT, 50, 50);
                    Run disa = run(m, g, n, k, Strategy.LINEAR, 50, 5);
                    int matched = (int) Math.ceil((double) disa.headPerImage() / m.tokens());
                    Run same = run(m, g, n, k, Strategy.CONSTANT, matched, matched);
                    Run c5 = run(m, g, n, k, Strategy.CONSTANT, 5, 5);
                    assertTrue(same.headPerImage() >= disa.headPerImage(), "the matched constant costs at least DiSA's");
                    assertTrue(disa.sequential() <= 0.55 * c50.sequential(), "Σ_k T(k) " + disa.sequential());
                    assertTrue(disa.headPerImage() <= 0.55 * c50.headPerImage(), "token-weighted " + disa.headPerImage());
                    Run[] runs = {c50, disa, same, c5, ref};
                    for (int r = 0; r < runs.length; r++) {
                        tv[r] += modeTv(m, runs[r].tokens(), n) / 3;
                        err[r] += coupled(runs[r].tokens(), ref.tokens()) / 3;
                    }
                    tvC50[g] = modeTv(m, c50.tokens(), n);
                }
            }
            double mean = (tvC50[0] + tvC50[1] + tvC50[2]) / 3;
            double sd = 0;
            for (double v : tvC50) {
                sd += (v - mean) * (v - mean) / 2;
            }
            sd = Math.sqrt(sd);
            String summary = String.format("K = %d: mode TV constant-50 %.4f (sd %.4f), DiSA %.4f, matched %.4f,"
                    + " constant-5 %.4f; coupled error vs 400 steps: constant-50 %.4f, DiSA %.4f, matched %.4f,"
                    + " constant-5 %.4f", k, tv[0], sd, tv[1], tv[2], tv[3], err[0], err[1], err[2], err[3]);
            System.out.println(summary);
            assertTrue(Math.abs(tv[1] - tv[0]) <= Math.max(sd, 0.002), "DiSA's mode TV within seed noise\n" + summary);
            assertTrue(err[1] < err[2], "DiSA beats constant steps of the same cost\n" + summary);
            assertTrue(err[1] < 0.25 * err[3], "constant-5 is far worse\n" + summary);
            assertTrue(err[1] < 3 * err[0], "DiSA stays near constant-50\n" + summary);
        }
    }

    @Test
    void imagesDoNotDependOnTheBatch() {
        GmmTokenOracle m = GmmTokenOracle.premiseToy(7);
        {
            DisaLoop.Settings s = new DisaLoop.Settings(Strategy.LINEAR, 20, 3, 8, 1.0, 1.0);
            double[] all = DisaLoop.sample(m, 5, 0, 6, Condition.of(null, 6), s, CancellationToken.NONE).tokens();
            double[] tail = DisaLoop.sample(m, 5, 4, 2, Condition.of(null, 2), s, CancellationToken.NONE).tokens();
            double[] expected = java.util.Arrays.copyOfRange(all, 4 * m.tokens(), 6 * m.tokens());
            assertArrayEquals(expected, tail, 0.0);
        }
    }
}
