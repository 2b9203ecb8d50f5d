package org.flowbench.engine.model.pkg;

import java.util.List;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.NoisePath;
import org.flowbench.engine.model.Parameterization;
import org.flowbench.engine.model.PredictionModel;

/**
 * Classifier-free guidance: v = v_u + w·(v_c − v_u), evaluated as one batched call of 2n states (n conditional,
 * n with the null class). Unconditional states (label −1) get the plain unconditional velocity. w = 1 is the
 * conditional model, w = 0 the unconditional one.
 */
public final class GuidedModel extends PredictionModel {
    private final FlowModel base;
    private final double w;

    public GuidedModel(FlowModel base, double w) {
        this.base = base;
        this.w = w;
    }

    /** The guided model. */
    FlowModel base() {
        return base;
    }

    public double guidance() {
        return w;
    }

    @Override
    public String id() {
        return base.id() + "?cfg=" + w;
    }

    @Override
    public String hash() {
        return base.hash();
    }

    @Override
    public int[] shape() {
        return base.shape();
    }

    @Override
    public NoisePath path() {
        return base.path();
    }

    @Override
    public List<String> classNames() {
        return base.classNames();
    }

    @Override
    public Parameterization nativeParameterization() {
        return Parameterization.VELOCITY;
    }

    /** Each state is evaluated twice: with its class and with the null class. */
    @Override
    public int networkEvaluationsPerState() {
        return 2 * base.networkEvaluationsPerState();
    }

    @Override
    public boolean guided() {
        return true;
    }

    @Override
    public String device() {
        return base.device();
    }

    @Override
    public String engine() {
        return base.engine();
    }

    @Override
    public String dtype() {
        return base.dtype();
    }

    @Override
    protected void predict(double[] x, int n, double t, int[] labels, double[] out) {
        double[] ts = new double[n];
        java.util.Arrays.fill(ts, t);
        velocityAt(x, n, ts, labels, out);
    }

    @Override
    public void velocityAt(double[] x, int n, double[] t, int[] labels, double[] out) {
        int d = dim();
        double[] x2 = new double[2 * n * d];
        System.arraycopy(x, 0, x2, 0, n * d);
        System.arraycopy(x, 0, x2, n * d, n * d);
        double[] t2 = new double[2 * n];
        System.arraycopy(t, 0, t2, 0, n);
        System.arraycopy(t, 0, t2, n, n);
        int[] l2 = new int[2 * n];
        for (int i = 0; i < n; i++) {
            l2[i] = labels == null ? UNCONDITIONAL : labels[i];
            l2[n + i] = UNCONDITIONAL;
        }
        double[] v = new double[2 * n * d];
        base.velocityAt(x2, 2 * n, t2, l2, v);
        for (int i = 0; i < n; i++) {
            boolean cond = l2[i] != UNCONDITIONAL;
            for (int k = 0; k < d; k++) {
                double vc = v[i * d + k];
                double vu = v[(n + i) * d + k];
                out[i * d + k] = cond ? vu + w * (vc - vu) : vu;
            }
        }
    }

    /** A tensor tier when the base has one: the same combination on tensors, differentiable when the base is. */
    @Override
    public <T> java.util.Optional<T> as(Class<T> capability) {
        if (capability == org.flowbench.engine.model.TensorField.class) {
            return base.as(org.flowbench.engine.model.TensorField.class).map(f -> capability.cast(guidedField(f)));
        }
        return super.as(capability);
    }

    /** vu + w·(vc − vu) for prompted states, vu for the others, from one batched call on 2n states. */
    private org.flowbench.engine.model.TensorField guidedField(org.flowbench.engine.model.TensorField f) {
        return org.flowbench.engine.model.TensorFields.decorate(f, Parameterization.VELOCITY, (x, t, c) -> {
            int n = t.length;
            double[] t2 = new double[2 * n];
            System.arraycopy(t, 0, t2, 0, n);
            System.arraycopy(t, 0, t2, n, n);
            org.flowbench.engine.model.Condition[] c2 = new org.flowbench.engine.model.Condition[2 * n];
            double[] weight = new double[n];
            for (int i = 0; i < n; i++) {
                c2[i] = c[i];
                c2[n + i] = org.flowbench.engine.model.Condition.NONE;
                weight[i] = c[i].labelIndex() >= 0 ? w : 0;
            }
            ai.djl.ndarray.NDArray v = f.velocity(x.concat(x, 0), t2, c2);
            ai.djl.ndarray.NDArray vc = v.get("0:" + n);
            ai.djl.ndarray.NDArray vu = v.get(n + ":");
            return vu.add(org.flowbench.engine.model.TensorField.perState(x, weight).mul(vc.sub(vu)));
        });
    }

    @Override
    public void close() {
        base.close();
    }
}
