package org.flowbench.engine.run;

import java.util.Arrays;
import org.flowbench.engine.FlowbenchException;

/**
 * What to sample: images {@code firstImage .. firstImage + n - 1} of seed {@code seed}, in batches of {@code batch},
 * each with its class label (−1 = unconditional). Image i always starts from the same noise, whatever the batch.
 *
 * @param previewEvery emit a preview every k steps (0 = never)
 * @param conditioning the run's conditioning as a cycle over absolute image indices (image i gets
 *     {@code conditioning[i mod length]}), the same for every slice of the run; null when the request was made from
 *     labels alone. Methods that adapt to the run's conditioning (BOSS's schedule) use it, never a slice's labels.
 */
public record SamplingRequest(long seed, long firstImage, int n, int batch, int[] labels, int previewEvery,
                              int[] conditioning) {
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
        if (conditioning != null && conditioning.length == 0) {
            throw new FlowbenchException("the conditioning cycle must not be empty");
        }
        conditioning = conditioning == null ? null : conditioning.clone();
    }

    /** A request with explicit labels and no run-level conditioning. */
    public SamplingRequest(long seed, long firstImage, int n, int batch, int[] labels, int previewEvery) {
        this(seed, firstImage, n, batch, labels, previewEvery, null);
    }

    /** Images {@code first ..} of a run conditioned by {@code cycle} (image i gets cycle[i mod length]). */
    public static SamplingRequest conditioned(long seed, long first, int n, int batch, int[] cycle, int previewEvery) {
        if (n < 1) {
            throw new FlowbenchException("the number of samples must be at least 1, got " + n);
        }
        int[] labels = new int[n];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            labels[i] = cycle[(int) Math.floorMod(first + i, (long) cycle.length)];
            any |= labels[i] >= 0;
        }
        return new SamplingRequest(seed, first, n, batch, any ? labels : null, previewEvery, cycle);
    }

    /**
     * The run's conditioning cycle: the declared one, else this request's labels (a caller that gave labels only),
     * else unconditional ({−1}).
     */
    public int[] conditioningCycle() {
        if (conditioning != null) {
            return conditioning.clone();
        }
        return labels != null ? labels.clone() : new int[] {-1};
    }

    public static SamplingRequest of(long seed, int n, int batch) {
        return new SamplingRequest(seed, 0, n, batch, null, 0);
    }

    /** Label of the i-th requested image (0-based within the request), −1 when unconditional. */
    public int label(int i) {
        return labels == null ? -1 : labels[i];
    }

    public SamplingRequest withLabels(int[] newLabels) {
        return new SamplingRequest(seed, firstImage, n, batch, newLabels, previewEvery, null);
    }

    public SamplingRequest withPreviewEvery(int k) {
        return new SamplingRequest(seed, firstImage, n, batch, labels, k, conditioning);
    }

    /** The same request restricted to images [from, from + count) of this one. */
    public SamplingRequest slice(int from, int count, int newBatch) {
        int[] l = labels == null ? null : Arrays.copyOfRange(labels, from, from + count);
        return new SamplingRequest(seed, firstImage + from, count, newBatch, l, previewEvery, conditioning);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SamplingRequest r && r.seed == seed && r.firstImage == firstImage && r.n == n
                && r.batch == batch && Arrays.equals(r.labels, labels) && r.previewEvery == previewEvery
                && Arrays.equals(r.conditioning, conditioning);
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
