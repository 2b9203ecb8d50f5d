package org.flowbench.engine.model.pkg;

import java.util.Arrays;
import java.util.List;
import org.flowbench.engine.model.NoisePath;
import org.flowbench.engine.model.Parameterization;
import org.flowbench.engine.model.Paths;
import org.flowbench.engine.model.PredictionModel;
import org.flowbench.engine.nn.ParamStore;
import org.flowbench.engine.nn.VelocityMlp;

/** A {@link VelocityMlp} on the rectified-flow path as a model (unconditional; labels are ignored). */
public final class MlpFlowModel extends PredictionModel {
    private final String id;
    private final String hash;
    private final VelocityMlp net;
    private final ParamStore weights;

    public MlpFlowModel(String id, String hash, VelocityMlp net, ParamStore weights) {
        this.id = id;
        this.hash = hash;
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
    public String id() {
        return id;
    }

    @Override
    public String hash() {
        return hash;
    }

    @Override
    public int[] shape() {
        return new int[] {net.dim()};
    }

    @Override
    public NoisePath path() {
        return Paths.RECTIFIED_FLOW;
    }

    @Override
    public List<String> classNames() {
        return List.of();
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
        Arrays.fill(ts, t);
        net.evaluate(weights, x, n, ts, out);
    }

    @Override
    public void velocityAt(double[] x, int n, double[] t, int[] labels, double[] out) {
        net.evaluate(weights, x, n, t, out);
    }
}
