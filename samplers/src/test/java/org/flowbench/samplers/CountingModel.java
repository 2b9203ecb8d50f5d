package org.flowbench.samplers;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.NoisePath;
import org.flowbench.engine.model.Parameterization;

/** Wraps a model and counts evaluated states (Σ over calls of the batch size) and calls, for NFE checks. */
public class CountingModel implements FlowModel {
    public final FlowModel inner;
    public final AtomicLong states = new AtomicLong();
    public final AtomicLong calls = new AtomicLong();

    public CountingModel(FlowModel inner) {
        this.inner = inner;
    }

    private void count(int n) {
        states.addAndGet(n);
        calls.incrementAndGet();
    }

    @Override
    public void velocity(double[] x, int n, double t, int[] labels, double[] out) {
        count(n);
        inner.velocity(x, n, t, labels, out);
    }

    @Override
    public void velocityAt(double[] x, int n, double[] t, int[] labels, double[] out) {
        count(n);
        inner.velocityAt(x, n, t, labels, out);
    }

    @Override
    public void score(double[] x, int n, double t, int[] labels, double[] out) {
        count(n);
        inner.score(x, n, t, labels, out);
    }

    @Override
    public void denoise(double[] x, int n, double t, int[] labels, double[] out) {
        count(n);
        inner.denoise(x, n, t, labels, out);
    }

    /** The inner model's tensor tier, counted the same way (states per call). */
    @Override
    public <T> java.util.Optional<T> as(Class<T> capability) {
        if (capability == org.flowbench.engine.model.TensorField.class) {
            return inner.as(org.flowbench.engine.model.TensorField.class).map(f -> capability.cast(
                    org.flowbench.engine.model.TensorFields.decorate(f, f.nativeParameterization(), (x, t, c) -> {
                        count(t.length);
                        return f.predict(x, t, c);
                    })));
        }
        return FlowModel.super.as(capability);
    }

    @Override
    public String id() {
        return inner.id();
    }

    @Override
    public String hash() {
        return inner.hash();
    }

    @Override
    public int[] shape() {
        return inner.shape();
    }

    @Override
    public NoisePath path() {
        return inner.path();
    }

    @Override
    public List<String> classNames() {
        return inner.classNames();
    }

    @Override
    public Parameterization nativeParameterization() {
        return inner.nativeParameterization();
    }
}
