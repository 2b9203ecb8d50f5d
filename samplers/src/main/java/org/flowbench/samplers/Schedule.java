package org.flowbench.samplers;

import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;

/**
 * Where a grid sampler steps: K + 1 increasing times from the noise end to the data end of a model's path, by a
 * named rule — {@code uniform}, {@code edm} (ρ on σ/α), {@code list} (given times), {@code boss} (Bellman-optimal for
 * the model). Rules that need a long computation do it in {@link #prepare}, with progress and cancel, before the
 * first image; {@link #times} is then cheap.
 */
public interface Schedule {
    /** The rule's name, as in the samplers' {@code grid} parameter. */
    String id();

    /** The times for this model. */
    double[] times(FlowModel model);

    /** A long precomputation for this model (default: none). */
    default void prepare(FlowModel model, ProgressListener listener, CancellationToken cancel) {}
}
