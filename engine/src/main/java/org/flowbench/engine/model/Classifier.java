package org.flowbench.engine.model;

/**
 * Class log-probabilities of images ({@code double[]} in and out): what a judge needs to say how likely an image is
 * its prompted class and whether it is classified as that class.
 */
public interface Classifier {
    /** Number of classes. */
    int classes();

    /** log p(k | x_i), n × classes, for n flattened images. */
    void logProbabilities(double[] x, int n, double[] out);
}
