package org.flowbench.app.testing;

import java.util.List;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.NoisePath;
import org.flowbench.engine.model.Parameterization;

/** A model that forwards to another; tests override what they need (shape, NaNs, ...). */
public class DelegatingModel implements FlowModel {
    protected final FlowModel inner;

    public DelegatingModel(FlowModel inner) {
        this.inner = inner;
    }

    @Override public String id() { return inner.id(); }
    @Override public String hash() { return inner.hash(); }
    @Override public int[] shape() { return inner.shape(); }
    @Override public int dim() { return inner.dim(); }
    @Override public NoisePath path() { return inner.path(); }
    @Override public List<String> classNames() { return inner.classNames(); }
    @Override public Parameterization nativeParameterization() { return inner.nativeParameterization(); }
    @Override public void velocity(double[] x, int n, double t, int[] labels, double[] out) { inner.velocity(x, n, t, labels, out); }
    @Override public void score(double[] x, int n, double t, int[] labels, double[] out) { inner.score(x, n, t, labels, out); }
    @Override public void denoise(double[] x, int n, double t, int[] labels, double[] out) { inner.denoise(x, n, t, labels, out); }
    @Override public void close() { inner.close(); }
}
