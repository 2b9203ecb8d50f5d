package org.flowbench.engine.model.pkg;

import java.nio.file.Path;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.Parameterization;

/**
 * A network a user brings in a package (TorchScript or ONNX) with the declared signature
 * {@code (x: float32 [n, shape...], t: float32 [n], labels: int64 [n]) → float32 [n, shape...]}, on the manifest's
 * path (rectified flow, VP or VE), given the manifest's network time (see {@link PackageConventions}); labels are −1
 * for unconditional, and the output is the manifest's parameterization (velocity, epsilon, data or score); the other
 * predictions are exact conversions. Subclasses only run the network.
 */
abstract class ExternalFlowModel extends PackagedFlowModel {
    private final PackageConventions conventions;

    ExternalFlowModel(String id, ModelPackage p) {
        this(id, p, PackageConventions.of(p));
    }

    private ExternalFlowModel(String id, ModelPackage p, PackageConventions c) {
        super(id, p.hash(), p.imageShape(), p.classNames(), c.parameterization(), c.path());
        this.conventions = c;
    }

    /** The network file the manifest names, which must be listed with its sha256 under "weights". */
    static Path networkFile(ModelPackage p, String kind) {
        String name = p.string("file");
        if (!p.weights().containsKey(name)) {
            throw new FlowbenchException(kind + " package " + p.dir() + " does not list " + name
                    + " with its sha256 under \"weights\"");
        }
        return p.resolveInside(name);
    }

    /** One evaluation at an arbitrary state, so that a wrong signature fails when the model is opened. */
    final void probe() {
        predict(new double[dim()], 1, 0.5, null, new double[dim()]);
    }

    /**
     * Runs the network on n states x (float32, shape [n, shape...]) at network times t with labels; returns the
     * n · dim outputs, or throws a {@link FlowbenchException} naming the problem.
     */
    abstract float[] run(float[] x, long[] xShape, float[] t, long[] labels, int n);

    @Override
    final synchronized void evaluateNative(double[] x, int n, double[] t, int[] labels, double[] out) {
        int d = dim();
        int[] shape = shape();
        long[] s = new long[shape.length + 1];
        s[0] = n;
        for (int i = 0; i < shape.length; i++) {
            s[i + 1] = shape[i];
        }
        float[] xf = toFloat(x, n * d);
        float[] tf = new float[n];
        long[] lab = new long[n];
        for (int i = 0; i < n; i++) {
            tf[i] = (float) conventions.networkTime(t[i]);
            lab[i] = labels == null ? -1 : labels[i];
        }
        float[] v = run(xf, s, tf, lab, n);
        if (v.length != n * d) {
            throw new FlowbenchException("network " + id() + " returned " + v.length + " values for " + n
                    + " states of " + java.util.Arrays.toString(shape) + " (expected " + (n * d) + ")");
        }
        widen(v, out, n * d);
    }
}
