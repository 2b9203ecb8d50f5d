package org.flowbench.engine.model.pkg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.model.Condition;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Parameterization;
import org.flowbench.engine.model.TensorField;
import org.flowbench.engine.model.TrainableNetwork;
import org.flowbench.engine.nn.NDParams;
import org.flowbench.engine.nn.ParamStore;
import org.flowbench.engine.nn.VelocityMlp;

/**
 * A {@link VelocityMlp} on the rectified-flow path as a model (unconditional; labels are ignored). Its {@code double[]}
 * tier runs on the Java heap (cheaper than native calls for a tiny network); its tensor tier, made on first use, runs
 * the same network through DJL.
 */
public final class MlpFlowModel extends PackagedFlowModel implements TensorField, TrainableNetwork {
    private final VelocityMlp net;
    private final ParamStore weights;
    private NDManager manager;
    private NDParams params;

    public MlpFlowModel(String id, String hash, VelocityMlp net, ParamStore weights) {
        super(id, hash, new int[] {net.dim()}, List.of(), Parameterization.VELOCITY);
        this.net = net;
        this.weights = weights;
    }

    /** A model of {@code net} with these weights, its hash computed from them. */
    public static MlpFlowModel of(String id, VelocityMlp net, ParamStore weights) {
        return new MlpFlowModel(id, PackagedFlowModel.weightsHash(weights), net, weights);
    }

    @Override
    public ParamStore weights() {
        return weights;
    }

    public VelocityMlp net() {
        return net;
    }

    @Override
    public String architecture() {
        return VelocityMlp.ARCHITECTURE;
    }

    @Override
    public Map<String, Object> architectureConfig() {
        return net.config();
    }

    @Override
    public boolean differentiable() {
        return true;
    }

    @Override
    void evaluateNative(double[] x, int n, double[] t, int[] labels, double[] out) {
        net.evaluate(weights, x, n, t, out);
    }

    @Override
    public NDArray predict(NDArray x, double[] t, Condition[] c) {
        return velocity(parameters(), x, t, c);
    }

    @Override
    public NDArray velocity(NDParams p, NDArray x, double[] t, Condition[] c) {
        NDArray tc = x.getManager().create(toFloat(t, t.length), new Shape(t.length, 1)).toType(x.getDataType(), false);
        return net.forward(p, NDArrays.concat(new NDList(x, tc), 1));
    }

    @Override
    public FlowModel withWeights(String id, ParamStore w) {
        return of(id, net, w);
    }

    private synchronized NDParams parameters() {
        if (params == null) {
            manager = NDManager.newBaseManager(org.flowbench.engine.device.Devices.current());
            params = weights.materialize(manager, false);
        }
        return params;
    }

    @Override
    public synchronized void close() {
        if (manager != null) {
            manager.close();
            manager = null;
            params = null;
        }
    }
}
