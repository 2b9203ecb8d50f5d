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

    /**
     * Per-image values after step {@code step} of a method that tracks them (ReNO: "reward-loss" and "noise-norm"
     * after each evaluation), for images {@code firstImage .. firstImage + count - 1}; each array has count values.
     */
    default void trace(long firstImage, int count, int step, java.util.Map<String, double[]> values) {}

    /**
     * A method's further per-image outputs for finished images {@code firstImage ..}, sent just before their
     * {@link #batchDone}: named arrays of count × (values per image) (ReNO: "initial" images, the best "noise", the
     * "reward-trace"). Callers that keep outputs write them beside the samples.
     */
    default void extras(long firstImage, int count, java.util.Map<String, double[]> perImage) {}

    /** A finished batch; images in it are final. */
    default void batchDone(SampleBatch batch) {}
}
