package org.flowbench.engine.model.pkg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.flowbench.engine.model.ArTokenFlowModel;
import org.flowbench.engine.model.Condition;
import org.flowbench.engine.model.NoisePath;
import org.flowbench.engine.model.Parameterization;
import org.flowbench.engine.model.Paths;
import org.flowbench.engine.nn.NDParams;
import org.flowbench.engine.nn.ParamStore;
import org.flowbench.engine.nn.TinyMar;

/**
 * A tiny MAR package ({@code kind: ar-tokens}, architecture {@code mar-tiny-v1}) as a model: the autoregressive
 * token capability for DiSA, its head a rectified-flow velocity on each token, float32 weights materialised once.
 * Label −1 (and the package's null class) means unconditioned.
 */
public final class MarModel extends ArTokenFlowModel {
    private final String id;
    private final String hash;
    private final TinyMar net;
    private final int[] shape;
    private final List<String> classNames;
    private final NDManager manager;
    private final NDParams params;

    MarModel(String id, String hash, TinyMar net, ParamStore weights, int[] shape, List<String> classNames) {
        this.id = id;
        this.hash = hash;
        this.net = net;
        this.shape = shape.clone();
        this.classNames = List.copyOf(classNames);
        this.manager = NDManager.newBaseManager(org.flowbench.engine.device.Devices.current());
        this.params = weights.materialize(manager, false);
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
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public String dtype() {
        return "float32";
    }

    @Override
    public int tokens() {
        return net.tokens();
    }

    @Override
    public int tokenDim() {
        return net.tokenDim();
    }

    @Override
    public int contextDim() {
        return net.contextDim();
    }

    @Override
    public NoisePath headPath() {
        return Paths.RECTIFIED_FLOW;
    }

    @Override
    public Parameterization headParameterization() {
        return Parameterization.VELOCITY;
    }

    @Override
    public double[] toTokens(double[] images, int n) {
        return toDouble(net.tokenize(toFloat(images), n));
    }

    @Override
    public double[] toImages(double[] tokenValues, int n) {
        return net.untokenize(tokenValues, n);
    }

    @Override
    public NDArray context(NDArray tokenValues, NDArray known, Condition[] c) {
        return net.context(params, tokenValues.toType(DataType.FLOAT32, false), known.toType(DataType.FLOAT32, false),
                Condition.labels(c));
    }

    @Override
    public NDArray head(NDArray noisyTokens, double[] t, NDArray contexts) {
        float[] tf = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            tf[i] = (float) t[i];
        }
        return net.head(params, noisyTokens.toType(DataType.FLOAT32, false), tf, contexts.toType(DataType.FLOAT32,
                false));
    }

    @Override
    public synchronized double[] context(double[] tokenValues, double[] known, int n, Condition[] c) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray tv = sub.create(toFloat(tokenValues), new Shape(n, tokens(), tokenDim()));
            NDArray kn = sub.create(toFloat(known), new Shape(n, tokens()));
            return toDouble(context(tv, kn, c).toFloatArray());
        }
    }

    @Override
    public synchronized double[] head(double[] noisyTokens, double[] t, double[] contexts) {
        try (NDManager sub = manager.newSubManager()) {
            int m = t.length;
            NDArray x = sub.create(toFloat(noisyTokens), new Shape(m, tokenDim()));
            NDArray z = sub.create(toFloat(contexts), new Shape(m, contextDim()));
            return toDouble(head(x, t, z).toFloatArray());
        }
    }

    private static float[] toFloat(double[] d) {
        return PackagedFlowModel.toFloat(d, d.length);
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        PackagedFlowModel.widen(f, d, f.length);
        return d;
    }

    /** Arrays held by the model's own manager (its weights and cached reshapes; a call must not add any). */
    synchronized int heldArrays() {
        return manager.getManagedArrays().size();
    }

    @Override
    public synchronized void close() {
        manager.close();
    }
}
