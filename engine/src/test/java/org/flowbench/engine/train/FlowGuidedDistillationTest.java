package org.flowbench.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.flowbench.engine.model.pkg.MlpFlowModel;
import org.flowbench.engine.nn.NDParams;
import org.flowbench.engine.nn.ParamStore;
import org.flowbench.engine.nn.VelocityMlp;
import org.junit.jupiter.api.Test;

/**
 * RF5 (reno-slimflow-nitro-fid.md §6.3): with a constant guide v_φ ≡ c and the L2 distance, Term B equals
 * (1 − t')²‖p − c‖² (per dimension), and its gradient reaches θ only through p = v_θ(z', ε): finite differences of
 * D(z' + p(θ), x̂1) with x̂1 held fixed match autograd (a gradient through x̃ would scale it by 1 − t'), and the
 * guide's parameters get none.
 */
class FlowGuidedDistillationTest {
    private static final int D = 3;
    private static final int N = 5;

    @Test
    void guidanceTermWithAConstantGuide() {
        VelocityMlp net = new VelocityMlp(D, 16);
        ParamStore student = net.init(1);
        ParamStore guide = net.init(2);
        double[] c = {0.7, -1.1, 0.4};
        Arrays.fill(guide.get("l3.weight"), 0f);
        for (int k = 0; k < D; k++) {
            guide.get("l3.bias")[k] = (float) c[k];
        }
        MlpFlowModel model = MlpFlowModel.of("student", net, student);
        SplittableRandom rng = new SplittableRandom(3);
        FlowGuidedDistillation.Batch b = new FlowGuidedDistillation.Batch(N, gaussian(rng, N * D), gaussian(rng, N * D),
                labels(), gaussian(rng, N * D), labels(), new double[] {0.2, 0.35, 0.5, 0.65, 0.8});
        double eps = 1e-3;
        ImageDistance l2 = ImageDistance.l2();

        try (NDManager m = NDManager.newBaseManager()) {
            // the value: (1 − t')²‖p − c‖² / D averaged over the batch, p from the double-precision network
            FlowGuidedDistillation.Terms[] terms = new FlowGuidedDistillation.Terms[1];
            Map<String, NDParams> p0 = Map.of(FlowGuidedDistillation.STUDENT, student.materialize(m, false),
                    FlowGuidedDistillation.GUIDE, guide.materialize(m, false));
            FlowGuidedDistillation.loss(m, p0, model, model, l2, eps, 1.0, b, terms);
            double[] p = studentVelocity(net, student, b.zGuide(), eps);
            double expected = 0;
            for (int i = 0; i < N; i++) {
                double w = (1 - b.tGuide()[i]) * (1 - b.tGuide()[i]);
                for (int k = 0; k < D; k++) {
                    double e = p[i * D + k] - c[k];
                    expected += w * e * e / D / N;
                }
            }
            assertEquals(expected, terms[0].b(), 1e-5 * (1 + expected));

            // autograd of Term B alone (loss with guidance minus loss without), for θ and for φ
            float[][] gradB;
            float[][] guideGrad;
            try (NDManager sub = m.newSubManager()) {
                NDParams ps = student.materialize(sub, true);
                NDParams pg = guide.materialize(sub, true);
                Map<String, NDParams> params = Map.of(FlowGuidedDistillation.STUDENT, ps, FlowGuidedDistillation.GUIDE, pg);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray withB = FlowGuidedDistillation.loss(sub, params, model, model, l2, eps, 1.0, b, null);
                    NDArray onlyA = FlowGuidedDistillation.loss(sub, params, model, model, l2, eps, 0.0, b, null);
                    gc.backward(withB.sub(onlyA));
                }
                gradB = grads(ps, student);
                guideGrad = grads(pg, guide);
            }
            for (float[] g : guideGrad) {
                for (float v : g) {
                    assertEquals(0f, v, 0f, "no gradient may reach the guide");
                }
            }
            // finite differences of D(z' + p(θ), x̂1) with x̂1 = z' + t'·p(θ₀) + (1 − t')·c fixed
            double[] target = new double[N * D];
            for (int i = 0; i < N; i++) {
                double t = b.tGuide()[i];
                for (int k = 0; k < D; k++) {
                    target[i * D + k] = b.zGuide()[i * D + k] + t * p[i * D + k] + (1 - t) * c[k];
                }
            }
            double maxRel = 0;
            int checked = 0;
            for (String name : student.names()) {
                float[] w = student.get(name);
                for (int j = 0; j < w.length; j += Math.max(1, w.length / 6)) {
                    float old = w[j];
                    double h = 1e-3;
                    w[j] = (float) (old + h);
                    double up = fixedTargetLoss(net, student, b, eps, target);
                    w[j] = (float) (old - h);
                    double down = fixedTargetLoss(net, student, b, eps, target);
                    w[j] = old;
                    double fd = (up - down) / (2 * h);
                    double ag = gradB[student.names().indexOf(name)][j];
                    if (Math.abs(fd) > 1e-4) {
                        maxRel = Math.max(maxRel, Math.abs(ag - fd) / Math.abs(fd));
                        checked++;
                    }
                }
            }
            assertTrue(checked >= 10, "checked " + checked);
            assertTrue(maxRel < 0.02, "max relative error " + maxRel);
        }
    }

    private static double fixedTargetLoss(VelocityMlp net, ParamStore w, FlowGuidedDistillation.Batch b, double eps,
                                          double[] target) {
        double[] p = studentVelocity(net, w, b.zGuide(), eps);
        double s = 0;
        for (int i = 0; i < N * D; i++) {
            double e = b.zGuide()[i] + p[i] - target[i];
            s += e * e;
        }
        return s / D / N;
    }

    private static double[] studentVelocity(VelocityMlp net, ParamStore w, float[] z, double eps) {
        double[] x = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            x[i] = z[i];
        }
        double[] t = new double[N];
        Arrays.fill(t, eps);
        double[] out = new double[z.length];
        net.evaluate(w, x, N, t, out);
        return out;
    }

    private static float[][] grads(NDParams p, ParamStore names) {
        float[][] g = new float[names.names().size()][];
        for (int i = 0; i < g.length; i++) {
            NDArray a = p.get(names.names().get(i)).getGradient();
            g[i] = a.toFloatArray();
        }
        return g;
    }

    private static float[] gaussian(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        return a;
    }

    private static int[] labels() {
        int[] l = new int[N];
        Arrays.fill(l, -1);
        return l;
    }
}
