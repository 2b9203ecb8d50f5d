package org.flowbench.engine.model.pkg;

import java.util.Arrays;
import java.util.List;
import org.flowbench.engine.model.NoisePath;
import org.flowbench.engine.model.Parameterization;
import org.flowbench.engine.model.Paths;
import org.flowbench.engine.model.PredictionModel;

/**
 * What every network loaded from a model package shares: identity (id and weight hash), image shape, class names,
 * the rectified-flow path, float32 weights and one native prediction. Subclasses only run their network, on a
 * per-state time vector so that velocity calls with mixed times (and constant-time calls) are one batched call.
 */
abstract class PackagedFlowModel extends PredictionModel implements org.flowbench.engine.model.StoredSchedule {
    private final String id;
    private final String hash;
    private final int[] shape;
    private final List<String> classNames;
    private final Parameterization nativeParameterization;
    private final NoisePath path;
    /** Step count → times the package ships (its {@code boss} section); empty for most packages. */
    private java.util.Map<Integer, double[]> storedTimes = java.util.Map.of();

    PackagedFlowModel(String id, String hash, int[] shape, List<String> classNames, Parameterization nativeParameterization) {
        this(id, hash, shape, classNames, nativeParameterization, Paths.RECTIFIED_FLOW);
    }

    PackagedFlowModel(String id, String hash, int[] shape, List<String> classNames, Parameterization nativeParameterization,
                      NoisePath path) {
        this.path = path;
        this.id = id;
        this.hash = hash;
        this.shape = shape.clone();
        this.classNames = List.copyOf(classNames);
        this.nativeParameterization = nativeParameterization;
    }

    /** The native prediction for n states at per-state times t; labels may be null (all unconditional). */
    abstract void evaluateNative(double[] x, int n, double[] t, int[] labels, double[] out);

    /** The first len values of x in float32, the networks' input precision. */
    static float[] toFloat(double[] x, int len) {
        float[] f = new float[len];
        for (int i = 0; i < len; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    /** The network's float32 output widened into out. */
    static void widen(float[] v, double[] out, int len) {
        for (int i = 0; i < len; i++) {
            out[i] = v[i];
        }
    }

    /** Takes the times a package's {@code boss} section records (K and its K + 1 times), if any. */
    final void storeTimes(ModelPackage p) {
        if (!(p.manifest().get("boss") instanceof java.util.Map<?, ?> boss)) {
            return;
        }
        if (boss.get("steps") instanceof Number k && boss.get("times") instanceof java.util.List<?> ts
                && ts.size() == k.intValue() + 1) {
            double[] t = new double[ts.size()];
            for (int i = 0; i < t.length; i++) {
                if (!(ts.get(i) instanceof Number v)) {
                    throw new org.flowbench.engine.FlowbenchException("model package " + p.dir()
                            + ": boss.times must be numbers");
                }
                t[i] = v.doubleValue();
            }
            storedTimes = java.util.Map.of(k.intValue(), t);
        }
    }

    @Override
    public final double[] storedTimes(int steps) {
        double[] t = storedTimes.get(steps);
        return t == null ? null : t.clone();
    }

    /** sha256 of the weights' float32 values in parameter order (models made from weights in memory). */
    static String weightsHash(org.flowbench.engine.nn.ParamStore w) {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) (4 * w.count()));
        for (String n : w.names()) {
            for (float f : w.get(n)) {
                buf.putFloat(f);
            }
        }
        return ModelPackage.sha256(buf.array());
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String hash() {
        return hash;
    }

    @Override
    public final int[] shape() {
        return shape.clone();
    }

    @Override
    public final NoisePath path() {
        return path;
    }

    @Override
    public final List<String> classNames() {
        return classNames;
    }

    @Override
    public final Parameterization nativeParameterization() {
        return nativeParameterization;
    }

    @Override
    public final String dtype() {
        return "float32";
    }

    @Override
    protected final void predict(double[] x, int n, double t, int[] labels, double[] out) {
        double[] ts = new double[n];
        Arrays.fill(ts, t);
        evaluateNative(x, n, ts, labels, out);
    }

    /** One batched call at per-state times; other predictions are converted state by state (exact affine maps). */
    @Override
    public final void velocityAt(double[] x, int n, double[] t, int[] labels, double[] out) {
        evaluateNative(x, n, t, labels, out);
        if (nativeParameterization != Parameterization.VELOCITY) {
            int d = dim();
            for (int i = 0; i < n; i++) {
                double[] ab = Parameterization.affine(path, t[i], nativeParameterization, Parameterization.VELOCITY);
                for (int k = i * d; k < (i + 1) * d; k++) {
                    out[k] = ab[0] * x[k] + ab[1] * out[k];
                }
            }
        }
    }
}
