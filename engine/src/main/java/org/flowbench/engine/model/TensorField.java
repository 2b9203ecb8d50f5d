package org.flowbench.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The tensor tier of a flow model: its native prediction on a batch of states held as a DJL {@link NDArray}
 * ({@code [n, shape...]}) in the <em>caller's</em> manager, at one time per state, with one {@link Condition} per
 * state. Results live in the same manager, so a {@code GradientCollector} opened by the caller spans this field and
 * whatever comes after it (a reward, a loss). Times are plain numbers: nothing is differentiated with respect to t.
 *
 * <p>Built-in networks implement it natively and are {@link #differentiable()}; other models get a non-differentiable
 * adapter over their {@code double[]} interface ({@link TensorFields#adapt}).
 */
public interface TensorField {
    NoisePath path();

    Parameterization nativeParameterization();

    /** Shape of one state, e.g. [1, 28, 28]. */
    int[] shape();

    /** Whether gradients flow from the output back to x. */
    boolean differentiable();

    /** The native prediction for states x at per-state times t. */
    NDArray predict(NDArray x, double[] t, Condition[] c);

    /** The prediction of kind {@code kind}, converted exactly from the native one (per-state affine map). */
    default NDArray predict(Parameterization kind, NDArray x, double[] t, Condition[] c) {
        NDArray p = predict(x, t, c);
        if (kind == nativeParameterization()) {
            return p;
        }
        int n = t.length;
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            double[] ab = Parameterization.affine(path(), t[i], nativeParameterization(), kind);
            a[i] = ab[0];
            b[i] = ab[1];
        }
        return perState(x, a).mul(x).add(perState(x, b).mul(p));
    }

    default NDArray velocity(NDArray x, double[] t, Condition[] c) {
        return predict(Parameterization.VELOCITY, x, t, c);
    }

    /** x̂1 = E[data | x_t]. */
    default NDArray denoise(NDArray x, double[] t, Condition[] c) {
        return predict(Parameterization.DATA, x, t, c);
    }

    /** One coefficient per state as an array that broadcasts against x ([n, 1, 1, …]), in x's manager and type. */
    static NDArray perState(NDArray x, double[] v) {
        long[] s = new long[x.getShape().dimension()];
        java.util.Arrays.fill(s, 1);
        s[0] = v.length;
        NDManager m = x.getManager();
        return m.create(v, new Shape(s)).toType(x.getDataType(), false);
    }
}
