package org.flowbench.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * A generator x = G(z, c) from standard normal noise z ([n, shape...]) in the caller's manager: a one-step student
 * (SlimFlow, Nitro), or K steps of a solver on a flow ({@link EulerGenerator}). When {@link #differentiable()},
 * gradients flow from x back to z, so a reward can be optimised over the initial noise.
 */
public interface OneStepGenerator {
    int[] shape();

    boolean differentiable();

    /** Network evaluations per image of one {@link #generate} call (1 for a one-step student, K for K Euler steps). */
    int evaluationsPerImage();

    NDArray generate(NDArray z, Condition[] c);
}
