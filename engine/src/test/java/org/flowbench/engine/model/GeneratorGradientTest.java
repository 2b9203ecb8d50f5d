package org.flowbench.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.flowbench.engine.model.pkg.ClassifierModel;
import org.flowbench.engine.model.pkg.ModelPackage;
import org.flowbench.engine.model.pkg.PackageResolver;
import org.flowbench.engine.random.NoiseSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tensor tier carries gradients end to end: ∇z of log p(y | x) (the built-in classifier) ∘ K-step Euler of
 * builtin:fashion-flow agrees with central finite differences of the same function along random directions.
 */
class GeneratorGradientTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void rewardGradientThroughKEulerStepsMatchesFiniteDifferences(int k) {
        try (FlowModel flow = Models.open("builtin:fashion-flow");
             ClassifierModel clf = ClassifierModel.open(ModelPackage.open(PackageResolver.builtinDir(
                     "fashion-classifier")))) {
            TensorField field = flow.require(TensorField.class, "the gradient test");
            assertTrue(field.differentiable());
            OneStepGenerator g = EulerGenerator.uniform(field, k);
            assertEquals(k, g.evaluationsPerImage());
            int n = 2;
            int d = flow.dim();
            double[] z = new double[n * d];
            for (int i = 0; i < n; i++) {
                NoiseSource.gaussian(17, i, 0, z, i * d, d);
            }
            Condition[] c = {Condition.label(7), Condition.label(6)};
            // the reward asks for other classes than the generator's (sandal, T-shirt): a log p far from saturation,
            // whose gradient is large enough for the finite differences to check it
            Condition[] asked = {Condition.label(5), Condition.label(0)};
            RewardModel r = new RewardModel() {
                @Override
                public String rewardName() {
                    return clf.rewardName();
                }

                @Override
                public boolean differentiable() {
                    return true;
                }

                @Override
                public ai.djl.ndarray.NDArray reward(ai.djl.ndarray.NDArray x, Condition[] ignored) {
                    return clf.reward(x, asked);
                }
            };
            Gradients.RewardGradient rg = Gradients.ofGenerator(g, r, z, c);
            SplittableRandom rng = new SplittableRandom(5);
            // central differences in float32: a step large enough that rounding (~1e-5 in r) stays below 1 % of the
            // difference, small enough that the curvature term does too
            double eps = 0.03;
            double[] gradNorm = new double[n];
            for (int i = 0; i < n; i++) {
                for (int e = 0; e < d; e++) {
                    gradNorm[i] += rg.gradient()[i * d + e] * rg.gradient()[i * d + e];
                }
                gradNorm[i] = Math.sqrt(gradNorm[i]);
            }
            int checked = 0;
            for (int dir = 0; checked < 5; dir++) {
                assertTrue(dir < 50, "no informative direction in 50 draws");
                double[] u = new double[n * d];
                for (int i = 0; i < n; i++) {
                    double norm = 0;
                    for (int e = 0; e < d; e++) {
                        u[i * d + e] = rng.nextGaussian();
                        norm += u[i * d + e] * u[i * d + e];
                    }
                    norm = Math.sqrt(norm);
                    for (int e = 0; e < d; e++) {
                        u[i * d + e] /= norm;
                    }
                }
                // a random direction nearly orthogonal to the gradient has a derivative below the float32 noise of
                // any finite difference; such draws are skipped (about a third of them), the others all count
                boolean informative = true;
                for (int i = 0; i < n; i++) {
                    double ad = 0;
                    for (int e = 0; e < d; e++) {
                        ad += rg.gradient()[i * d + e] * u[i * d + e];
                    }
                    informative &= Math.abs(ad) >= 0.5 * gradNorm[i] / Math.sqrt(d);
                }
                if (!informative) {
                    continue;
                }
                checked++;
                double[] zp = z.clone();
                double[] zm = z.clone();
                for (int j = 0; j < zp.length; j++) {
                    zp[j] += eps * u[j];
                    zm[j] -= eps * u[j];
                }
                double[] rp = Gradients.rewardOfGenerator(g, r, zp, c);
                double[] rm = Gradients.rewardOfGenerator(g, r, zm, c);
                for (int i = 0; i < n; i++) {
                    double fd = (rp[i] - rm[i]) / (2 * eps);
                    double ad = 0;
                    for (int e = 0; e < d; e++) {
                        ad += rg.gradient()[i * d + e] * u[i * d + e];
                    }
                    double rel = Math.abs(fd - ad) / Math.max(Math.abs(fd), Math.abs(ad));
                    assertTrue(rel <= 0.02, "K = " + k + ", direction " + dir + ", image " + i + ": finite difference "
                            + fd + ", gradient " + ad + " (relative error " + rel + ")");
                }
            }
            // the images are the generator's: one Euler step from σ(0)·z equals z + v(z, 0)
            double[] again = Gradients.rewardOfGenerator(g, r, z, c);
            assertEquals(again[0], rg.reward()[0], 1e-5);
        }
    }
}
