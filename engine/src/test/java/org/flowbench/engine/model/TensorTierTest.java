package org.flowbench.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.analytic.Presets;
import org.flowbench.engine.model.pkg.MlpFlowModel;
import org.flowbench.engine.nn.VelocityMlp;
import org.flowbench.engine.random.NoiseSource;
import org.junit.jupiter.api.Test;

/** The tensor tier computes what the {@code double[]} tier computes; capabilities answer and fail clearly. */
class TensorTierTest {
    @Test
    void affineConversionEqualsTheExactConversionForEveryPair() {
        for (String pathId : new String[] {"rectified-flow", "vp", "ve"}) {
            NoisePath path = Presets.get("3modes").spec().withPath(pathId).noisePath();
            double t = 0.5 * (path.tStart() + path.tEnd());
            double[] x = {0.7, -1.3};
            double[] pred = {0.2, 0.9};
            for (Parameterization from : Parameterization.values()) {
                for (Parameterization to : Parameterization.values()) {
                    double[] exact = new double[2];
                    Parameterization.convert(path, t, from, to, x, pred, exact, 2);
                    double[] ab = Parameterization.affine(path, t, from, to);
                    for (int i = 0; i < 2; i++) {
                        assertEquals(exact[i], ab[0] * x[i] + ab[1] * pred[i], 1e-9 * (1 + Math.abs(exact[i])),
                                pathId + " " + from + " → " + to);
                    }
                }
            }
        }
    }

    @Test
    void adapterGivesTheAnalyticFieldInEveryParameterization() {
        try (FlowModel m = Models.open("builtin:3modes-vp"); NDManager nd = NDManager.newBaseManager()) {
            TensorField f = TensorFields.of(m);
            assertFalse(f.differentiable(), "an analytic mixture has no native tensor tier");
            int n = 5;
            double[] x = new double[n * 2];
            NoiseSource.gaussian(3, 0, 0, x, 0, x.length);
            double t = 0.4;
            double[] ts = {t, t, t, t, t};
            Condition[] c = Condition.of(null, n);
            NDArray xa = nd.create(x, new Shape(n, 2));
            double[] want = new double[x.length];
            m.denoise(x, n, t, null, want);
            assertArrayClose(want, f.denoise(xa, ts, c).toDoubleArray(), 1e-9);
            m.score(x, n, t, null, want);
            assertArrayClose(want, f.predict(Parameterization.SCORE, xa, ts, c).toDoubleArray(), 1e-9);
        }
    }

    @Test
    void networksEvaluateTheSameOnBothTiers() {
        for (String ref : new String[] {"builtin:fashion-flow", "builtin:fashion-flow?cfg=2.5"})
        try (FlowModel m = Models.open(ref); NDManager nd = NDManager.newBaseManager()) {
            // the guided model's tensor tier combines vu + w(vc − vu) as its double[] tier does
            TensorField f = m.require(TensorField.class, "this test");
            assertTrue(f.differentiable());
            int n = 3;
            int d = m.dim();
            double[] x = new double[n * d];
            NoiseSource.gaussian(4, 0, 0, x, 0, x.length);
            double[] ts = {0.1, 0.5, 0.9};
            int[] labels = {2, -1, 7};
            double[] want = new double[x.length];
            m.velocityAt(x, n, ts, labels, want);
            float[] xf = new float[x.length];
            for (int i = 0; i < xf.length; i++) {
                xf[i] = (float) x[i];
            }
            NDArray v = f.velocity(nd.create(xf, new Shape(n, 1, 28, 28)), ts, Condition.of(labels, n));
            // the double[] tier runs the network compiled to ONNX Runtime (ADR 0009), the tensor tier op by op on
            // DJL: the same float32 network through other kernels, equal to float32 rounding
            assertArrayClose(want, toDouble(v.toFloatArray()), 1e-5);
        }
        VelocityMlp net = new VelocityMlp(2, 16);
        try (MlpFlowModel mlp = MlpFlowModel.of("mlp", net, net.init(3)); NDManager nd = NDManager.newBaseManager()) {
            double[] x = {0.3, -1.2, 2.0, 0.5};
            double[] ts = {0.2, 0.8};
            double[] want = new double[4];
            mlp.velocityAt(x, 2, ts, null, want);
            NDArray v = mlp.velocity(nd.create(new float[] {0.3f, -1.2f, 2.0f, 0.5f}, new Shape(2, 2)), ts,
                    Condition.of(null, 2));
            assertArrayClose(want, toDouble(v.toFloatArray()), 1e-5);
        }
    }

    @Test
    void capabilitiesAnswerAndMissingOnesFailInOneLine() {
        try (FlowModel m = Models.open("builtin:3modes")) {
            assertTrue(m.as(KnownDistribution.class).isPresent());
            assertTrue(m.as(RewardModel.class).isEmpty());
            assertTrue(Capabilities.of(m).contains(Capabilities.describe(KnownDistribution.class)));
            FlowbenchException e = assertThrows(FlowbenchException.class,
                    () -> m.require(OneStepGenerator.class, "reno"));
            assertEquals("reno needs a model with a one-step generator; builtin:3modes has none", e.getMessage());
        }
        assertEquals(-1, Condition.NONE.labelIndex());
        assertEquals(3, Condition.label(3).labelIndex());
        assertThrows(FlowbenchException.class, () -> new Condition.ClassLabel(-2));
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static void assertArrayClose(double[] want, double[] got, double tol) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tol * (1 + Math.abs(want[i])), "element " + i);
        }
    }
}
