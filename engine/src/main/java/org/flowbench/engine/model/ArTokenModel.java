package org.flowbench.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * An autoregressive token model with a per-token diffusion head (MAR-style, for DiSA): a bidirectional backbone turns
 * the tokens known so far into one context vector per token, and a small head denoises each unknown token's
 * continuous value given its context. Images are {@link #tokens()} tokens of {@link #tokenDim()} values each. Both
 * parts run on the tensor tier in the caller's manager; the head's path and prediction convert exactly like a
 * {@link TensorField}'s.
 */
public interface ArTokenModel {
    /** Tokens per image. */
    int tokens();

    /** Values per token. */
    int tokenDim();

    /** Context vector size per token. */
    int contextDim();

    /** The path and prediction of the per-token head. */
    NoisePath headPath();

    Parameterization headParameterization();

    /**
     * Context vectors [n, tokens, contextDim] for token values [n, tokens, tokenDim] of which {@code known} [n, tokens]
     * (1 = known, 0 = masked) are given, conditioned on {@code c}.
     */
    NDArray context(NDArray tokens, NDArray known, Condition[] c);

    /** Images (n × image dims, the model's image layout) as tokens (n × tokens × tokenDim); the identity by default. */
    default double[] toTokens(double[] images, int n) {
        return images.clone();
    }

    /** The inverse of {@link #toTokens}. */
    default double[] toImages(double[] tokenValues, int n) {
        return tokenValues.clone();
    }

    /** The head's native prediction for noisy tokens [m, tokenDim] at times t (one per token) with contexts [m, contextDim]. */
    NDArray head(NDArray noisyTokens, double[] t, NDArray contexts);

    /**
     * {@link #context(NDArray, NDArray, Condition[])} on arrays, for samplers (which do not touch the tensor library):
     * tokens n × tokens × tokenDim, known n × tokens (1 = known), result n × tokens × contextDim, float64.
     */
    default double[] context(double[] tokenValues, double[] known, int n, Condition[] c) {
        try (ai.djl.ndarray.NDManager nd = ai.djl.ndarray.NDManager.newBaseManager()) {
            return context(nd.create(tokenValues, new ai.djl.ndarray.types.Shape(n, tokens(), tokenDim())),
                    nd.create(known, new ai.djl.ndarray.types.Shape(n, tokens())), c)
                    .toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
        }
    }

    /** {@link #head(NDArray, double[], NDArray)} on arrays: m tokens of tokenDim values and m context rows, float64. */
    default double[] head(double[] noisyTokens, double[] t, double[] contexts) {
        int m = t.length;
        try (ai.djl.ndarray.NDManager nd = ai.djl.ndarray.NDManager.newBaseManager()) {
            return head(nd.create(noisyTokens, new ai.djl.ndarray.types.Shape(m, tokenDim())), t,
                    nd.create(contexts, new ai.djl.ndarray.types.Shape(m, contextDim())))
                    .toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
        }
    }
}
