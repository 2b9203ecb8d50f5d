package org.flowbench.engine.model.pkg;

import java.util.List;
import org.flowbench.engine.model.Parameterization;
import org.flowbench.engine.nn.ParamStore;
import org.flowbench.engine.nn.VelocityMlp;

/** A {@link VelocityMlp} on the rectified-flow path as a model (unconditional; labels are ignored). */
public final class MlpFlowModel extends PackagedFlowModel {
    private final VelocityMlp net;
    private final ParamStore weights;

    public MlpFlowModel(String id, String hash, VelocityMlp net, ParamStore weights) {
        super(id, hash, new int[] {net.dim()}, List.of(), Parameterization.VELOCITY);
        this.net = net;
        this.weights = weights;
    }

    public ParamStore weights() {
        return weights;
    }

    public VelocityMlp net() {
        return net;
    }

    @Override
    void evaluateNative(double[] x, int n, double[] t, int[] labels, double[] out) {
        net.evaluate(weights, x, n, t, out);
    }
}
