package org.flowbench.samplers.onestep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.KnownDistribution;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.model.pkg.MlpFlowModel;
import org.flowbench.engine.nn.ParamStore;
import org.flowbench.engine.nn.VelocityMlp;
import org.flowbench.engine.random.NoiseSource;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.train.Trainer;
import org.flowbench.engine.train.VelocityRegression;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Rectified flow on the 2-D mixtures of reno-slimflow-nitro-fid.md §6.3 (2modes, 8ring; source N(0, I₂)):
 * RF1 the exact 1-RF field, RF2 its curvature figures, RF3 reflow with an MLP straightening it. FD is against the
 * targets' exact moments.
 */
class RectifiedFlowTest {
    private static final int N = 20_000;

    /** RF1: the analytic models are the closed-form 1-RF field of §2.4, and RK4-400 reaches the target. */
    @ParameterizedTest
    @CsvSource({"2modes", "8ring"})
    void analyticFieldIsTheExactOneRectifiedFlow(String name) {
        try (FlowModel m = Models.open("builtin:" + name)) {
            KnownDistribution g = m.require(KnownDistribution.class, "RF1");
            double[][] means = Components.means(name);
            double s = Components.sd(name);
            java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
            double[] x = new double[2];
            double[] v = new double[2];
            for (int i = 0; i < 200; i++) {
                x[0] = 6 * rng.nextGaussian();
                x[1] = 6 * rng.nextGaussian();
                double t = rng.nextDouble();
                m.velocity(x, 1, t, null, v);
                double[] e = Components.exactVelocity(means, s, x, t);
                assertEquals(e[0], v[0], 1e-9 * (1 + Math.abs(e[0])));
                assertEquals(e[1], v[1], 1e-9 * (1 + Math.abs(e[1])));
            }
            // v(x, 0) = E[x1] − x and v(x, 1) = x
            double[] mean = g.dataMean(-1);
            x[0] = 1.3;
            x[1] = -0.7;
            m.velocity(x, 1, 0.0, null, v);
            assertEquals(mean[0] - x[0], v[0], 1e-12);
            assertEquals(mean[1] - x[1], v[1], 1e-12);
            m.velocity(x, 1, 1.0, null, v);
            assertEquals(x[0], v[0], 1e-12);
            assertEquals(x[1], v[1], 1e-12);

            FlowPaths f = FlowPaths.rk4(m, noises(N, 7), N, 400);
            double fd = FlowPaths.fd(f.end(), N, g);
            assertTrue(fd < 0.01, name + ": FD of RK4-400 " + fd + " (reference ≈ 0.001 / 0.003)");
        }
    }

    /** RF2: 1-RF is curved: straightness and Euler FDs of the reference (K = 1 collapses onto the mean). */
    @ParameterizedTest
    @CsvSource({"2modes, 2.36, 16.50, 1.17, 0.29, 0.067", "8ring, 2.90, 16.18, 0.68, 0.10, 0.027"})
    void oneRectifiedFlowIsCurved(String name, double straightness, double fd1, double fd2, double fd4, double fd8) {
        try (FlowModel m = Models.open("builtin:" + name)) {
            KnownDistribution g = m.require(KnownDistribution.class, "RF2");
            double[] z = noises(N, 11);
            FlowPaths f = FlowPaths.rk4(m, z, N, 400);
            assertEquals(straightness, f.straightness(), 0.05 * straightness, name + " straightness");
            double[] expected = {fd1, fd2, fd4, fd8};
            int[] ks = {1, 2, 4, 8};
            for (int i = 0; i < ks.length; i++) {
                double fd = FlowPaths.fd(FlowPaths.euler(m, z, N, ks[i]), N, g);
                assertEquals(expected[i], fd, 0.1 * expected[i] + 0.01, name + " Euler " + ks[i]);
            }
        }
    }

    /**
     * RF3: an MLP 2-RF trained by this package's reflow (β ≡ 0, {@link AnnealingReflow#source}) on 4000 exact
     * 1-RF pairs is ≥ 10× straighter and its one-step FD ≥ 10× lower than the 1-RF's.
     */
    @ParameterizedTest
    @CsvSource({"2modes", "8ring"})
    void reflowStraightensTheFlow(String name) throws Exception {
        try (FlowModel m = Models.open("builtin:" + name)) {
            KnownDistribution g = m.require(KnownDistribution.class, "RF3");
            int pairs = 4000;
            double[] z = noises(pairs, 21);
            FlowPaths teacher = FlowPaths.rk4(m, z, pairs, 200);
            double s1 = FlowPaths.rk4(m, noises(N, 23), N, 200).straightness();
            float[] zf = new float[2 * pairs];
            float[] x1 = new float[2 * pairs];
            for (int i = 0; i < zf.length; i++) {
                zf[i] = (float) z[i];
                x1[i] = (float) teacher.end()[i];
            }
            int[] labels = new int[pairs];
            java.util.Arrays.fill(labels, -1);
            TeacherPairs.Pairs p = new TeacherPairs.Pairs(pairs, new int[] {2}, zf, x1, labels, Map.of());
            VelocityMlp net = new VelocityMlp(2, 128);
            ParamStore init = net.init(5);
            Trainer<VelocityRegression.Batch> tr = new Trainer<>(Trainer.Config.defaults(3000, 5).withLr(2e-3)
                    .withWarmup(100).withEma(0.999).withCheckpointSeconds(Double.POSITIVE_INFINITY), init);
            long t0 = System.nanoTime();
            tr.run(AnnealingReflow.source(p, AnnealingReflow.Beta.parse("fix:0"), AnnealingReflow.Flip.off(0), 256,
                    AnnealingReflow.EPSILON, 5), VelocityRegression.loss(MlpFlowModel.of("2rf", net, init)), null,
                    CancellationToken.NONE);
            System.out.printf("RF3 %s: training %.1f s%n", name, (System.nanoTime() - t0) / 1e9);
            try (FlowModel rf2 = MlpFlowModel.of("2rf", net, tr.ema())) {
                double[] zs = noises(N, 29);
                // the MLP runs in Java doubles: its straightness on 4000 paths of RK4-50 (it is nearly straight)
                double s2 = FlowPaths.rk4(rf2, noises(4000, 31), 4000, 50).straightness();
                double oneStep1 = FlowPaths.fd(FlowPaths.euler(m, zs, N, 1), N, g);
                double oneStep2 = FlowPaths.fd(FlowPaths.euler(rf2, zs, N, 1), N, g);
                System.out.printf("RF3 %s: S(1-RF) %.4f S(2-RF) %.4f, one-step FD %.4f -> %.4f%n", name, s1, s2,
                        oneStep1, oneStep2);
                assertTrue(s2 <= 0.1 * s1, name + ": S(2-RF) " + s2 + " vs S(1-RF) " + s1);
                assertTrue(oneStep2 * 10 <= oneStep1, name + ": one-step FD 2-RF " + oneStep2 + " vs 1-RF " + oneStep1);
            }
        }
    }

    static double[] noises(int n, long seed) {
        double[] z = new double[2 * n];
        for (int i = 0; i < n; i++) {
            NoiseSource.gaussian(seed, i, 0, z, 2 * i, 2);
        }
        return z;
    }

    /** The test's own closed form of the exact 1-RF velocity for an isotropic mixture (§2.4), equal weights. */
    static final class Components {
        static double[][] means(String name) {
            if (name.equals("2modes")) {
                return new double[][] {{-4, 0}, {4, 0}};
            }
            double[][] m = new double[8][];
            for (int j = 0; j < 8; j++) {
                double a = 2 * Math.PI * j / 8;
                m[j] = new double[] {4 * Math.cos(a), 4 * Math.sin(a)};
            }
            return m;
        }

        static double sd(String name) {
            return name.equals("2modes") ? 0.5 : 0.3;
        }

        static double[] exactVelocity(double[][] m, double s, double[] x, double t) {
            int k = m.length;
            double var = t * t * s * s + (1 - t) * (1 - t);
            double[] logw = new double[k];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                double dx = x[0] - t * m[j][0];
                double dy = x[1] - t * m[j][1];
                logw[j] = -(dx * dx + dy * dy) / (2 * var); // equal weights and variances: constants cancel
                max = Math.max(max, logw[j]);
            }
            double z = 0;
            double[] v = new double[2];
            for (int j = 0; j < k; j++) {
                double w = Math.exp(logw[j] - max);
                z += w;
                double c = (t * s * s - (1 - t)) / var;
                v[0] += w * (m[j][0] + c * (x[0] - t * m[j][0]));
                v[1] += w * (m[j][1] + c * (x[1] - t * m[j][1]));
            }
            v[0] /= z;
            v[1] /= z;
            return v;
        }
    }
}
