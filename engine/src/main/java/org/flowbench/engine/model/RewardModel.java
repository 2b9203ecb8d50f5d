package org.flowbench.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * A reward r(x, c) per image on tensors in the caller's manager ({@code [n, shape...]} → {@code [n]}),
 * differentiable in x when {@link #differentiable()}: the built-in classifier's log p(class | x), later realism and
 * aesthetic rewards.
 */
public interface RewardModel {
    /** A short name for manifests and lane headers ("log p(class | x)"). */
    String rewardName();

    boolean differentiable();

    NDArray reward(NDArray x, Condition[] c);
}
