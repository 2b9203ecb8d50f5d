package org.flowbench.engine.model;

import java.util.Optional;
import org.flowbench.engine.FlowbenchException;

/**
 * Anything Flowbench loads as a model: flows, generators, classifiers, rewards. Callers never ask what class a model
 * is; they ask what it can do with {@link #as}, and get a capability object ({@link TensorField},
 * {@link OneStepGenerator}, {@link RewardModel}, {@link ArTokenModel}, {@link FeatureExtractor},
 * {@link KnownDistribution}, {@link TrainableNetwork}, …) or nothing. The capability may be the model itself or a view of it.
 */
public interface Model extends AutoCloseable {
    /** The reference the user gave (builtin:NAME, a folder, a spec file). */
    String id();

    /** A content hash identifying the weights or the analytic spec (sha256 hex). */
    String hash();

    /** The capability, if this model has it. The default offers every capability interface the model implements. */
    default <T> Optional<T> as(Class<T> capability) {
        return capability.isInstance(this) ? Optional.of(capability.cast(this)) : Optional.empty();
    }

    /** The capability, or one clear error saying that {@code what} needs it and this model lacks it. */
    default <T> T require(Class<T> capability, String what) {
        return as(capability).orElseThrow(() -> new FlowbenchException(what + " needs a model with "
                + Capabilities.describe(capability) + "; " + id() + " has none",
                "run 'flowbench samplers' to see what each sampler needs"));
    }

    @Override
    default void close() {}
}
