package org.flowbench.engine.run;

/** Receives progress from long work. Called on the worker thread: implementations must be cheap and thread-safe. */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {};

    /** {@code done} of {@code total} units (sampler steps summed over batches, training steps, ...). */
    default void progress(long done, long total, String what) {}

    /**
     * A preview of the current estimate of the clean images (x̂1) for images {@code firstImage ..
     * firstImage + count - 1}, flattened; emitted every k steps when the request asks for previews.
     */
    default void preview(long firstImage, int count, int step, double[] x1Hat) {}

    /** A finished batch; images in it are final. */
    default void batchDone(SampleBatch batch) {}
}
