package org.flowbench.engine.model.pkg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.model.Condition;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Parameterization;
import org.flowbench.engine.model.TensorField;
import org.flowbench.engine.model.TrainableNetwork;
import org.flowbench.engine.nn.FlowUNet;
import org.flowbench.engine.nn.NDParams;
import org.flowbench.engine.nn.ParamStore;

/**
 * A built-in {@link FlowUNet} as a {@link org.flowbench.engine.model.FlowModel}: one float32 NDArray conversion per
 * batched call, parameters that record no gradients, evaluation outside any gradient collector. Label −1 means the
 * null class. Its tensor tier runs the same network on the caller's arrays (differentiable in x), and it can be
 * fine-tuned ({@link TrainableNetwork}).
 */
public final class NetworkFlowModel extends PackagedFlowModel implements TensorField, TrainableNetwork {
    private final FlowUNet net;
    private final NDManager manager;
    private final NDParams params;
    private final ParamStore weights;

    public NetworkFlowModel(String id, String hash, FlowUNet net, ParamStore weights, int[] shape, List<String> classNames) {
        super(id, hash, shape, classNames, Parameterization.VELOCITY);
        this.weights = weights;
        this.net = net;
        this.manager = NDManager.newBaseManager(org.flowbench.engine.device.Devices.current());
        this.params = weights.materialize(manager, false);
    }

    /** A model of {@code net} with these weights (a student being trained); the hash is the weights'. */
    public static NetworkFlowModel of(String id, FlowUNet net, ParamStore weights, int[] shape, List<String> classNames) {
        return new NetworkFlowModel(id, PackagedFlowModel.weightsHash(weights), net, weights, shape, classNames);
    }

    /** The network (for fine-tuning a copy, e.g. BOSS straightening). */
    public FlowUNet net() {
        return net;
    }

    @Override
    public ParamStore weights() {
        return weights;
    }

    @Override
    public String architecture() {
        return FlowUNet.ARCHITECTURE;
    }

    @Override
    public Map<String, Object> architectureConfig() {
        return net.config();
    }

    @Override
    public String device() {
        return org.flowbench.engine.device.Devices.name(manager.getDevice());
    }

    @Override
    public boolean differentiable() {
        return true;
    }

    @Override
    public NDArray predict(NDArray x, double[] t, Condition[] c) {
        return net.forward(params, x, toFloat(t, t.length), Condition.labels(c));
    }

    @Override
    public NDArray velocity(NDParams p, NDArray x, double[] t, Condition[] c) {
        return net.forward(p, x, toFloat(t, t.length), Condition.labels(c));
    }

    @Override
    public FlowModel withWeights(String id, ParamStore w) {
        return new NetworkFlowModel(id, PackagedFlowModel.weightsHash(w), net, w, shape(), classNames());
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
