package org.flowbench.engine.model.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.Condition;
import org.flowbench.engine.model.Gradients;
import org.flowbench.engine.model.Model;
import org.flowbench.engine.model.RewardModel;
import org.junit.jupiter.api.Test;

/**
 * A TorchScript reward package (fixture: r(x, y) = −mean((x − 0.1y)²), made by
 * scripts/make_torchscript_reward_fixture.py): values and the backward pass through the module match the closed form.
 */
class TorchScriptRewardTest {
    static Path fixture() throws Exception {
        return Path.of(TorchScriptRewardTest.class.getResource("ts-reward/flowbench-model.json").toURI()).getParent();
    }

    @Test
    void rewardAndItsGradientThroughTheModuleMatchTheClosedForm() throws Exception {
        try (Model m = RewardPackages.open(fixture().toString())) {
            RewardModel r = m.require(RewardModel.class, "this test");
            assertTrue(r.differentiable());
            int d = 784;
            double[] x = new double[2 * d];
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.sin(0.01 * i);
            }
            int[] labels = {3, -1};
            Gradients.RewardGradient g = Gradients.ofReward(r, new int[] {1, 28, 28}, x, Condition.of(labels, 2));
            for (int i = 0; i < 2; i++) {
                double y = Math.max(0, labels[i]) * 0.1;
                double want = 0;
                for (int e = 0; e < d; e++) {
                    double diff = x[i * d + e] - y;
                    want -= diff * diff / d;
                    assertEquals(-2 * diff / d, g.gradient()[i * d + e], 1e-7, "gradient at image " + i + ", " + e);
                }
                assertEquals(want, g.reward()[i], 1e-6);
            }
        }
    }

    @Test
    void aWrongImageShapeIsOneClearError() throws Exception {
        try (Model m = RewardPackages.open(fixture().toString())) {
            RewardModel r = m.require(RewardModel.class, "this test");
            FlowbenchException e = assertThrows(FlowbenchException.class,
                    () -> Gradients.ofReward(r, new int[] {2}, new double[2], Condition.of(null, 1)));
            assertTrue(e.getMessage().contains("takes images of shape [1, 28, 28]"), e.getMessage());
        }
    }

    /** Through a generator, as ReNO uses it: ∇z of the reward of G(z) along a direction matches a finite difference. */
    @Test
    void gradientThroughTheStudentAndTheModuleMatchesFiniteDifferences() throws Exception {
        try (Model m = RewardPackages.open(fixture().toString());
             org.flowbench.engine.model.FlowModel flow = org.flowbench.engine.model.Models.open(
                     "builtin:fashion-slimflow")) {
            RewardModel r = m.require(RewardModel.class, "this test");
            org.flowbench.engine.model.OneStepGenerator g = org.flowbench.engine.model.EulerGenerator.uniform(
                    flow.require(org.flowbench.engine.model.TensorField.class, "this test"), 1);
            int d = 784;
            double[] z = new double[d];
            org.flowbench.engine.random.NoiseSource.gaussian(2, 0, 0, z, 0, d);
            Condition[] c = Condition.of(new int[] {4}, 1);
            Gradients.Evaluation e = Gradients.evaluate(g, java.util.List.of(r), new double[] {1}, z, c, true);
            double[] u = new double[d];
            double dot = 0;
            for (int i = 0; i < d; i++) {
                u[i] = e.gradient()[i];
                dot += u[i] * u[i];
            }
            double eps = 0.05 / Math.sqrt(dot);
            double[] zp = z.clone();
            double[] zm = z.clone();
            for (int i = 0; i < d; i++) {
                zp[i] += eps * u[i];
                zm[i] -= eps * u[i];
            }
            double fp = Gradients.evaluate(g, java.util.List.of(r), new double[] {1}, zp, c, false).rewards()[0][0];
            double fm = Gradients.evaluate(g, java.util.List.of(r), new double[] {1}, zm, c, false).rewards()[0][0];
            double fd = (fp - fm) / (2 * eps);
            assertEquals(dot, fd, 0.02 * dot, "directional derivative along the gradient");
        }
    }
}
