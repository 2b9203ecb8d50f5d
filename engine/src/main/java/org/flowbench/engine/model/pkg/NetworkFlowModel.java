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
import org.flowbench.engine.nn.CompiledNetwork;
import org.flowbench.engine.nn.FlowUNet;
import org.flowbench.engine.nn.NDParams;
import org.flowbench.engine.nn.ParamStore;

/**
 * A built-in {@link FlowUNet} as a {@link org.flowbench.engine.model.FlowModel}: one float32 NDArray conversion per
 * batched call, parameters that record no gradients, evaluation outside any gradient collector. Label −1 means the
 * null class. Its tensor tier runs the same network on the caller's arrays (differentiable in x), and it can be
 * fine-tuned ({@link TrainableNetwork}). Batched evaluations run the same network compiled from the same weights
 * ({@link CompiledNetwork}, ADR 0009) once it has been checked against the op-by-op network; {@code
 * -Dflowbench.network=djl} keeps them op by op.
 */
public final class NetworkFlowModel extends PackagedFlowModel implements TensorField, TrainableNetwork {
    private final FlowUNet net;
    private final NDManager manager;
    private final NDParams params;
    private final ParamStore weights;
    /** The compiled network once made; {@link #OP_BY_OP} where it is off or could not be made. */
    private Object compiled;
    private static final Object OP_BY_OP = new Object();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NetworkFlowModel.class);

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
        CompiledNetwork c = compiled();
        float[] v = c != null ? runCompiled(c, xf, tf, labels, n) : runOpByOp(xf, tf, labels, n);
        widen(v, out, n * d);
    }

    private float[] runCompiled(CompiledNetwork c, float[] xf, float[] tf, int[] labels, int n) {
        int[] s = shape();
        return c.run(xf, new long[] {s[0], s[1], s[2]}, net.timeArguments(tf), net.timeArgumentWidth(),
                net.graphLabels(labels, n), n);
    }

    private float[] runOpByOp(float[] xf, float[] tf, int[] labels, int n) {
        try (NDManager sub = manager.newSubManager()) {
            int[] s = shape();
            NDArray xa = sub.create(xf, new Shape(n, s[0], s[1], s[2]));
            return net.forward(params, xa, tf, labels == null ? null : labels.clone()).toFloatArray();
        }
    }

    /** A twin of this model that runs its network op by op (the reference the compiled network is checked against). */
    NetworkFlowModel opByOp() {
        NetworkFlowModel m = new NetworkFlowModel(id(), hash(), net, weights, shape(), classNames());
        m.compiled = OP_BY_OP;
        return m;
    }

    /** Compiles the network now rather than on first use (a loaded package; a student in training stays lazy). */
    public void compileNetwork() {
        compiled();
    }

    /**
     * The compiled network, made on first use and kept only if it agrees with the op-by-op network on a probe batch
     * (every class and the null class, times across [0, 1]) to float32 rounding; null where it is off or failed.
     */
    private synchronized CompiledNetwork compiled() {
        if (compiled == null) {
            compiled = OP_BY_OP;
            // compiled for the CPU only: on a GPU the network stays on DJL's device
            if (!"djl".equalsIgnoreCase(System.getProperty("flowbench.network", "compiled"))
                    && !manager.getDevice().isGpu()) {
                CompiledNetwork c = null;
                try {
                    long t0 = System.nanoTime();
                    int[] s = shape();
                    c = CompiledNetwork.compile(net.toOnnx(params, s[1], s[2]), CompiledNetwork.defaultThreads(),
                            "x", "args", "labels");
                    double diff = probeDifference(c);
                    if (diff <= PROBE_TOLERANCE) {
                        compiled = c;
                        LOG.debug("{}: network compiled and checked in {} ms ({}; probe difference {})", id(),
                                (System.nanoTime() - t0) / 1_000_000, c.describe(), diff);
                    } else {
                        LOG.warn("{}: the compiled network differs from the op-by-op one by {} on the probe batch;"
                                + " running op by op", id(), diff);
                        c.close();
                    }
                } catch (RuntimeException | LinkageError e) {
                    LOG.warn("{}: cannot compile the network ({}); running op by op", id(), e.toString());
                    if (c != null) {
                        c.close();
                    }
                }
            }
        }
        return compiled instanceof CompiledNetwork c ? c : null;
    }

    /** Largest probe difference accepted, relative to the output's scale (float32 rounding through ~40 layers). */
    static final double PROBE_TOLERANCE = 1e-4;

    /** Max |compiled − op by op| / (1 + max |op by op|) on a fixed batch of classes + 1 images. */
    double probeDifference(CompiledNetwork c) {
        int n = net.classes() + 1;
        int d = dim();
        float[] x = new float[n * d];
        float[] t = new float[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = (float) i / (n - 1);
            labels[i] = i < net.classes() ? i : -1;
            for (int k = 0; k < d; k++) {
                x[i * d + k] = (float) Math.sin(0.37 * k + 1.3 * i);
            }
        }
        float[] a = runCompiled(c, x, t, labels, n);
        float[] b = runOpByOp(x, t, labels, n);
        double diff = 0;
        double scale = 0;
        for (int k = 0; k < a.length; k++) {
            diff = Math.max(diff, Math.abs(a[k] - b[k]));
            scale = Math.max(scale, Math.abs(b[k]));
        }
        return diff / (1 + scale);
    }

    /** Seconds spent inside the compiled network so far; NaN when it runs op by op. */
    public double compiledNetworkSeconds() {
        CompiledNetwork c = compiled();
        return c == null ? Double.NaN : c.busySeconds();
    }

    @Override
    public String engine() {
        CompiledNetwork c = compiled();
        return c != null ? c.describe() + ", compiled from the weights on java " + System.getProperty("java.version")
                : super.engine();
    }

    @Override
    public synchronized void close() {
        if (compiled instanceof CompiledNetwork c) {
            c.close();
        }
        manager.close();
    }
}
