package org.flowbench.engine.model;

/** Maps n flattened images to n feature vectors of {@link #dim()} doubles (for FID/KID). */
public interface FeatureExtractor extends AutoCloseable {
    int dim();

    /** x has n·(image size) values; out receives n·dim() values. */
    void features(double[] x, int n, double[] out);

    /** Identity of the extractor (e.g. the weight hash) for reference statistics. */
    default String id() {
        return getClass().getSimpleName();
    }

    @Override
    default void close() {}
}
