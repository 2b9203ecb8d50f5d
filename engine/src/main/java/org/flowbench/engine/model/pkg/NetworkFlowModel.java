package org.flowbench.engine.model.pkg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.flowbench.engine.model.Parameterization;
import org.flowbench.engine.nn.FlowUNet;
import org.flowbench.engine.nn.NDParams;
import org.flowbench.engine.nn.ParamStore;

/**
 * A built-in {@link FlowUNet} as a {@link org.flowbench.engine.model.FlowModel}: one float32 NDArray conversion per
 * batched call, parameters that record no gradients, evaluation outside any gradient collector. Label −1 means the
 * null class.
 */
public final class NetworkFlowModel extends PackagedFlowModel {
    private final FlowUNet net;
    private final NDManager manager;
    private final NDParams params;
    private final ParamStore weights;

    public NetworkFlowModel(String id, String hash, FlowUNet net, ParamStore weights, int[] shape, List<String> classNames) {
        super(id, hash, shape, classNames, Parameterization.VELOCITY);
        this.weights = weights;
        this.net = net;
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

    /** Raw network velocities; labels may be null (all unconditional). */
    @Override
    synchronized void evaluateNative(double[] x, int n, double[] t, int[] labels, double[] out) {
        int d = dim();
        float[] xf = toFloat(x, n * d);
        float[] tf = toFloat(t, n);
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = labels == null ? -1 : labels[i];
        }
        try (NDManager sub = manager.newSubManager()) {
            int[] shape = shape();
            NDArray xa = sub.create(xf, new Shape(n, shape[0], shape[1], shape[2]));
            float[] v = net.forward(params, xa, tf, l).toFloatArray();
            widen(v, out, n * d);
        }
    }

    @Override
    public synchronized void close() {
        manager.close();
    }
}
