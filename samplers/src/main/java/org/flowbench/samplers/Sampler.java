package org.flowbench.samplers;

import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;

/**
 * A configured sampler. {@link #sample} returns the requested images in image-index order with the exact number of
 * field evaluations (NFE) per image; it is deterministic for a seed, gives image i the same result whatever the
 * batch size, checks {@code cancel} every step, and emits previews every k steps when the request asks for them.
 */
public interface Sampler {
    String id();

    /** Bumped whenever results for the same parameters change. */
    String version();

    /** The immutable, validated config (a record with {@link Param} components). */
    Record config();

    SampleBatch sample(SamplingRequest request, FlowModel model, ProgressListener listener, CancellationToken cancel);
}
