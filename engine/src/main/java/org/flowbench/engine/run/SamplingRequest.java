package org.flowbench.engine.run;

import java.util.Arrays;
import org.flowbench.engine.FlowbenchException;

/**
 * What to sample: images {@code firstImage .. firstImage + n - 1} of seed {@code seed}, in batches of {@code batch},
 * each with its class label (−1 = unconditional). Image i always starts from the same noise, whatever the batch.
 *
 * @param previewEvery emit a preview every k steps (0 = never)
 */
public record SamplingRequest(long seed, long firstImage, int n, int batch, int[] labels, int previewEvery) {
    public SamplingRequest {
        if (n < 1) {
            throw new FlowbenchException("the number of samples must be at least 1, got " + n);
        }
        if (batch < 1) {
            throw new FlowbenchException("the batch size must be at least 1, got " + batch);
        }
        if (firstImage < 0) {
            throw new FlowbenchException("the first image index must be non-negative, got " + firstImage);
        }
        if (labels != null && labels.length != n) {
            throw new FlowbenchException("labels: expected " + n + " values, got " + labels.length);
        }
        if (previewEvery < 0) {
            throw new FlowbenchException("previewEvery must be non-negative, got " + previewEvery);
        }
        labels = labels == null ? null : labels.clone();
    }

    public static SamplingRequest of(long seed, int n, int batch) {
        return new SamplingRequest(seed, 0, n, batch, null, 0);
    }

    /** Label of the i-th requested image (0-based within the request), −1 when unconditional. */
    public int label(int i) {
        return labels == null ? -1 : labels[i];
    }

    public SamplingRequest withLabels(int[] newLabels) {
        return new SamplingRequest(seed, firstImage, n, batch, newLabels, previewEvery);
    }

    public SamplingRequest withPreviewEvery(int k) {
        return new SamplingRequest(seed, firstImage, n, batch, labels, k);
    }

    /** The same request restricted to images [from, from + count) of this one. */
    public SamplingRequest slice(int from, int count, int newBatch) {
        int[] l = labels == null ? null : Arrays.copyOfRange(labels, from, from + count);
        return new SamplingRequest(seed, firstImage + from, count, newBatch, l, previewEvery);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SamplingRequest r && r.seed == seed && r.firstImage == firstImage && r.n == n
                && r.batch == batch && Arrays.equals(r.labels, labels) && r.previewEvery == previewEvery;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seed) * 31 + Long.hashCode(firstImage) * 17 + n * 7 + batch + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return "SamplingRequest[seed=" + seed + ", firstImage=" + firstImage + ", n=" + n + ", batch=" + batch + "]";
    }
}
