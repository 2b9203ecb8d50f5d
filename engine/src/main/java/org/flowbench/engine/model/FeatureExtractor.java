package org.flowbench.engine.model;

/**
 * Maps samples to feature vectors for FID/KID: {@code f(x) → R^dim}.
 *
 * <p>Input convention: {@code x} holds n samples in the model's sample space, flattened row-major (images as
 * C×H×W with values in [−1, 1], 2-D points as raw coordinates). Each extractor does its own preprocessing
 * (channel replication, resize, quantisation) and documents it in {@link #preprocessing()}; statistics made with
 * different {@link #id()}, {@link #hash()} or preprocessing are not comparable.
 */
public interface FeatureExtractor {
    /** Stable identifier, e.g. {@code identity}, {@code builtin:fashion-classifier}, {@code torchscript:inception.pt}. */
    String id();

    /** Hash of whatever determines the features (weights file sha256; {@code "-"} for parameter-free extractors). */
    String hash();

    /** Feature dimension d. */
    int dim();

    /** Computes features of n samples from x into out (n × dim, row-major). */
    void features(double[] x, int n, double[] out);

    /** A short description of the preprocessing applied before the network ("none" if nothing). */
    default String preprocessing() {
        return "none";
    }
}
