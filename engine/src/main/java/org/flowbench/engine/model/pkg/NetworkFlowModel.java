package org.flowbench.engine.model.pkg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.flowbench.engine.model.NoisePath;
import org.flowbench.engine.model.Parameterization;
import org.flowbench.engine.model.Paths;
import org.flowbench.engine.model.PredictionModel;
import org.flowbench.engine.nn.FlowUNet;
import org.flowbench.engine.nn.NDParams;
import org.flowbench.engine.nn.ParamStore;

/**
 * A built-in {@link FlowUNet} as a {@link org.flowbench.engine.model.FlowModel}: one float32 NDArray conversion per
 * batched call, parameters that record no gradients, evaluation outside any gradient collector. Label −1 means the
 * null class.
 */
public final class NetworkFlowModel extends PredictionModel {
    private final String id;
    private final String hash;
    private final FlowUNet net;
    private final int[] shape;
    private final List<String> classNames;
    private final NDManager manager;
    private final NDParams params;
    private final ParamStore weights;

    public NetworkFlowModel(String id, String hash, FlowUNet net, ParamStore weights, int[] shape, List<String> classNames) {
        this.weights = weights;
        this.id = id;
        this.hash = hash;
        this.net = net;
        this.shape = shape.clone();
        this.classNames = List.copyOf(classNames);
        this.manager = NDManager.newBaseManager();
        this.params = weights.materialize(manager, false);
    }

    /** The network (for fine-tuning a copy, e.g. BOSS straightening). */
    public FlowUNet net() {
        return net;
    }

    /** The weights it was built from (not to be modified). */
    public ParamStore weights() {
        return weights;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String hash() {
        return hash;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public NoisePath path() {
        return Paths.RECTIFIED_FLOW;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public Parameterization nativeParameterization() {
        return Parameterization.VELOCITY;
    }

    @Override
    public String dtype() {
        return "float32";
    }

    @Override
    protected void predict(double[] x, int n, double t, int[] labels, double[] out) {
        double[] ts = new double[n];
        java.util.Arrays.fill(ts, t);
        evaluate(x, n, ts, labels, out);
    }

    @Override
    public void velocityAt(double[] x, int n, double[] t, int[] labels, double[] out) {
        evaluate(x, n, t, labels, out);
    }

    /** Raw network velocities; labels may be null (all unconditional). */
    public synchronized void evaluate(double[] x, int n, double[] t, int[] labels, double[] out) {
        int d = dim();
        float[] xf = new float[n * d];
        for (int i = 0; i < xf.length; i++) {
            xf[i] = (float) x[i];
        }
        float[] tf = new float[n];
        for (int i = 0; i < n; i++) {
            tf[i] = (float) t[i];
        }
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = labels == null ? -1 : labels[i];
        }
        try (NDManager sub = manager.newSubManager()) {
            NDArray xa = sub.create(xf, new Shape(n, shape[0], shape[1], shape[2]));
            float[] v = net.forward(params, xa, tf, l).toFloatArray();
            for (int i = 0; i < n * d; i++) {
                out[i] = v[i];
            }
        }
    }

    @Override
    public synchronized void close() {
        manager.close();
    }
}
