package org.flowbench.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.flowbench.engine.model.Condition;
import org.flowbench.engine.model.TrainableNetwork;
import org.flowbench.engine.nn.NDParams;
import org.flowbench.engine.nn.Scalars;

/**
 * SlimFlow's flow-guided distillation loss for a one-step student G(z) = z + v_θ(z_in, ε), with the student in
 * parameter group {@code student} and the guide (a 2-rectified flow of the student's architecture) in the frozen
 * group {@code guide}:
 *
 * <pre>
 *   Term A (teacher pairs):  z_in = ε·x1 + (1−ε)·z,  L_A = D(z + v_θ(z_in, ε), x1)
 *   Term B (flow guidance):  p = v_θ(z', ε);  no gradient: x̃ = z' + t'·p,  x̂1 = x̃ + (1−t')·v_φ(x̃, t')
 *                            L_B = D(z' + p, x̂1)
 *   L = mean_i L_A + weightB · mean_i L_B
 * </pre>
 *
 * The gradient flows only through the student's outputs: x̃ and x̂1 are constants (no gradient through x̃ into θ,
 * none into φ). With {@code weightB = 0} this is plain (k = 1) distillation. ε is explicit: SlimFlow trains at
 * ε = 10⁻³ and samples z + (1 − ε)·v(z, ε); Flowbench's one-step sample is Euler from t = 0 (x1 = z + v(z, 0)),
 * so the shipped student is trained with ε = 0, which makes the trained map and the sampled map the same.
 */
public final class FlowGuidedDistillation {
    /** Parameter group names. */
    public static final String STUDENT = "student";
    public static final String GUIDE = "guide";

    /**
     * One batch: n teacher pairs (z, x1, labels) for Term A and n fresh noises z' with labels and t' for Term B
     * (all flattened, n × dim).
     */
    public record Batch(int n, float[] z, float[] x1, int[] labels, float[] zGuide, int[] labelsGuide, double[] tGuide) {}

    /** The two terms of the last evaluated loss (for progress lines). */
    public record Terms(double a, double b) {}

    private FlowGuidedDistillation() {}

    /**
     * The loss of one batch; {@code net} evaluates the student's parameters, {@code guide} the guide's (the same
     * architecture in SlimFlow, where the guide is the student's own 2-RF; a wider one when the student is narrower).
     * {@code terms}, when not null, receives the values of both terms (one element array).
     */
    public static NDArray loss(NDManager m, Map<String, NDParams> params, TrainableNetwork net, TrainableNetwork guide,
                               ImageDistance d, double epsilon, double weightB, Batch b, Terms[] terms) {
        int n = b.n();
        Shape shape = shape(n, net.shape());
        NDArray z = m.create(b.z(), shape);
        NDArray x1 = m.create(b.x1(), shape);
        NDArray zIn = epsilon == 0 ? z : Scalars.mul(x1, epsilon).add(Scalars.mul(z, 1 - epsilon));
        boolean guided = weightB != 0;
        NDArray zg = guided ? m.create(b.zGuide(), shape) : null;
        // one student pass over both terms' inputs
        NDArray in = guided ? zIn.concat(zg, 0) : zIn;
        double[] ts = new double[guided ? 2 * n : n];
        java.util.Arrays.fill(ts, epsilon);
        Condition[] c = Condition.of(guided ? concat(b.labels(), b.labelsGuide()) : b.labels(), ts.length);
        NDArray v = net.velocity(params.get(STUDENT), in, ts, c);
        NDArray pA = v.get("0:" + n);
        NDArray lossA = d.perImage(params, z.add(pA), x1).mean();
        if (!guided) {
            if (terms != null) {
                terms[0] = new Terms(lossA.getFloat(), 0);
            }
            return lossA;
        }
        NDArray p = v.get(n + ":");
        NDArray tp = org.flowbench.engine.model.TensorField.perState(zg, b.tGuide());
        NDArray xt = zg.add(p.stopGradient().mul(tp));
        NDArray vg = guide.velocity(params.get(GUIDE), xt, b.tGuide(), Condition.of(b.labelsGuide(), n)).stopGradient();
        NDArray target = xt.add(vg.mul(tp.neg().add(1f))).stopGradient();
        NDArray lossB = d.perImage(params, zg.add(p), target).mean();
        if (terms != null) {
            terms[0] = new Terms(lossA.getFloat(), lossB.getFloat());
        }
        return lossA.add(Scalars.mul(lossB, weightB));
    }

    static Shape shape(int n, int[] s) {
        long[] dims = new long[s.length + 1];
        dims[0] = n;
        for (int i = 0; i < s.length; i++) {
            dims[i + 1] = s[i];
        }
        return new Shape(dims);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = new int[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
