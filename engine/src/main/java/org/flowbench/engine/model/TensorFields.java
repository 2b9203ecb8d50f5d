package org.flowbench.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Tensor-tier helpers: the adapter for models without a native tensor tier. */
public final class TensorFields {
    private TensorFields() {}

    /** The model's own tensor tier, or a non-differentiable adapter over its {@code double[]} velocity. */
    public static TensorField of(FlowModel model) {
        return model.as(TensorField.class).orElseGet(() -> adapt(model));
    }

    /** Velocity through the {@code double[]} interface: one batched call, values copied in and out, no gradient. */
    public static TensorField adapt(FlowModel model) {
        return new TensorField() {
            @Override
            public NoisePath path() {
                return model.path();
            }

            @Override
            public Parameterization nativeParameterization() {
                return Parameterization.VELOCITY;
            }

            @Override
            public int[] shape() {
                return model.shape();
            }

            @Override
            public boolean differentiable() {
                return false;
            }

            @Override
            public NDArray predict(NDArray x, double[] t, Condition[] c) {
                int n = t.length;
                double[] xs = x.toType(DataType.FLOAT64, false).toDoubleArray();
                double[] out = new double[xs.length];
                model.velocityAt(xs, n, t, Condition.labels(c), out);
                return x.getManager().create(out, x.getShape()).toType(x.getDataType(), false);
            }
        };
    }

    /** A prediction on tensors: what a decorated field computes instead of its base. */
    @FunctionalInterface
    public interface Prediction {
        NDArray predict(NDArray x, double[] t, Condition[] c);
    }

    /**
     * A field that is {@code base} in every respect (path, shape, whether it is differentiable) but predicts {@code
     * kind} through {@code prediction}: the decorators of the tensor tier (guidance, counting) in one place.
     */
    public static TensorField decorate(TensorField base, Parameterization kind, Prediction prediction) {
        return new TensorField() {
            @Override
            public NoisePath path() {
                return base.path();
            }

            @Override
            public Parameterization nativeParameterization() {
                return kind;
            }

            @Override
            public int[] shape() {
                return base.shape();
            }

            @Override
            public boolean differentiable() {
                return base.differentiable();
            }

            @Override
            public NDArray predict(NDArray x, double[] t, Condition[] c) {
                return prediction.predict(x, t, c);
            }
        };
    }
}
