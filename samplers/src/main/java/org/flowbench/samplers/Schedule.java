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

    /**
     * The times for this model under a run's conditioning (a cycle of class labels over absolute image indices, see
     * {@code SamplingRequest.conditioning}; null or {−1}: unconditional). Most rules ignore it.
     */
    double[] times(FlowModel model, int[] conditioning);

    /** A long precomputation for this model and conditioning (default: none). */
    default void prepare(FlowModel model, int[] conditioning, ProgressListener listener, CancellationToken cancel) {}
}
