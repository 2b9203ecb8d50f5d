package org.flowbench.engine.nn;

import ai.djl.ndarray.NDArray;

/**
 * Products and quotients of a tensor with a number that are safe to differentiate. DJL's {@code NDArray.mul(Number)}
 * and {@code div(Number)} wrap the number in a tensor over a Java direct buffer, apply the op and close that tensor
 * at once; autograd keeps the scalar for the backward pass, and once the garbage collector frees the buffer the
 * backward pass reads freed memory (gradients of zeros or infinities, seen as rare run-to-run differences). Here the
 * scalar is a tensor of x's manager, alive until that manager closes, after the backward pass.
 */
public final class Scalars {
    private Scalars() {}

    /** x · v. */
    public static NDArray mul(NDArray x, double v) {
        return x.mul(scalar(x, v));
    }

    /** x / v. */
    public static NDArray div(NDArray x, double v) {
        return x.div(scalar(x, v));
    }

    private static NDArray scalar(NDArray x, double v) {
        return x.getManager().create((float) v).toType(x.getDataType(), false);
    }
}
