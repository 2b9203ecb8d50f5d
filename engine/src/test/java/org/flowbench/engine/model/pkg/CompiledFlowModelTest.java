package org.flowbench.engine.model.pkg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.nn.CompiledNetwork;
import org.flowbench.engine.nn.ParamStore;
import org.junit.jupiter.api.Test;

/**
 * The shipped UNet runs compiled (ADR 0009), and a 50-step Euler path through it ends where the op-by-op network's
 * ends to 1e-4 (the precision the speed-up must keep), with and without guidance; a compiled network that is not
 * this model's is refused by the load-time probe.
 */
class CompiledFlowModelTest {
    @Test
    void fiftyEulerStepsEndWhereTheOpByOpNetworkEnds() {
        for (String ref : new String[] {"builtin:fashion-flow", "builtin:fashion-flow?cfg=2.5"}) {
            try (FlowModel compiled = Models.open(ref)) {
                assertTrue(compiled.engine().startsWith("onnxruntime"), ref + " runs on " + compiled.engine());
                NetworkFlowModel base = (NetworkFlowModel) (compiled instanceof GuidedModel g ? g.base() : compiled);
                NetworkFlowModel opByOp = base.opByOp();
                try (FlowModel reference = compiled instanceof GuidedModel g ? new GuidedModel(opByOp, g.guidance())
                        : opByOp) {
                    int n = 12;
                    int d = compiled.dim();
                    int[] labels = new int[n];
                    double[] a = new double[n * d];
                    SplittableRandom rng = new SplittableRandom(3);
                    for (int i = 0; i < n; i++) {
                        labels[i] = i - 1;
                    }
                    for (int k = 0; k < a.length; k++) {
                        a[k] = rng.nextGaussian();
                    }
                    double[] b = a.clone();
                    double diff = 0;
                    double[] va = new double[n * d];
                    double[] vb = new double[n * d];
                    double[] t = new double[n];
                    for (int step = 0; step < 50; step++) {
                        java.util.Arrays.fill(t, step / 50.0);
                        compiled.velocityAt(a, n, t, labels, va);
                        reference.velocityAt(b, n, t, labels, vb);
                        for (int k = 0; k < a.length; k++) {
                            a[k] += va[k] / 50;
                            b[k] += vb[k] / 50;
                        }
                    }
                    for (int k = 0; k < a.length; k++) {
                        diff = Math.max(diff, Math.abs(a[k] - b[k]));
                    }
                    assertTrue(diff <= 1e-4, ref + ": samples differ by " + diff);
                }
            }
        }
    }

    @Test
    void probeRefusesANetworkCompiledFromOtherWeights() {
        try (FlowModel m = Models.open("builtin:fashion-flow")) {
            NetworkFlowModel model = (NetworkFlowModel) m;
            ParamStore other = model.weights().copy();
            float[] w = other.get("out.weight");
            for (int i = 0; i < w.length; i++) {
                w[i] *= 1.01f;
            }
            try (NetworkFlowModel wrong = NetworkFlowModel.of("wrong", model.net(), other, m.shape(), m.classNames());
                 ai.djl.ndarray.NDManager nd = ai.djl.ndarray.NDManager.newBaseManager();
                 CompiledNetwork c = CompiledNetwork.compile(model.net().toOnnx(other.materialize(nd, false), 28, 28),
                         2, "x", "args", "labels")) {
                double own = wrong.probeDifference(c);
                double foreign = model.probeDifference(c);
                assertTrue(own <= NetworkFlowModel.PROBE_TOLERANCE, "its own weights: " + own);
                assertTrue(foreign > NetworkFlowModel.PROBE_TOLERANCE, "out.weight 1 % larger: " + foreign);
            }
        }
    }
}
