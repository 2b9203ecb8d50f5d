package org.flowbench.engine.run;

import java.util.Arrays;

/**
 * Samples in image-index order: {@code samples} holds {@code count} flattened images of {@code shape}. Per image:
 * the exact number of network (field) evaluations it cost, and its share of wall time in milliseconds.
 */
public record SampleBatch(long firstImage, int count, int[] shape, double[] samples, long[] nfe, double[] latencyMs,
                          RunManifest manifest) {
    public SampleBatch {
        int dim = dim(shape);
        if (samples.length != (long) count * dim || nfe.length != count || latencyMs.length != count) {
            throw new IllegalArgumentException("inconsistent batch: count " + count + ", dim " + dim
                    + ", samples " + samples.length + ", nfe " + nfe.length + ", latency " + latencyMs.length);
        }
    }

    public static int dim(int[] shape) {
        int d = 1;
        for (int s : shape) {
            d *= s;
        }
        return d;
    }

    public int dim() {
        return dim(shape);
    }

    /** Image i of this batch (0-based), a copy. */
    public double[] image(int i) {
        int d = dim();
        return Arrays.copyOfRange(samples, i * d, (i + 1) * d);
    }

    public long totalNfe() {
        long s = 0;
        for (long v : nfe) {
            s += v;
        }
        return s;
    }

    /** Joins batches that follow each other in image order. */
    public static SampleBatch concat(java.util.List<SampleBatch> parts, RunManifest manifest) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no batches");
        }
        int total = 0;
        for (SampleBatch b : parts) {
            total += b.count;
        }
        int[] shape = parts.get(0).shape;
        int d = dim(shape);
        double[] s = new double[total * d];
        long[] nfe = new long[total];
        double[] lat = new double[total];
        int at = 0;
        for (SampleBatch b : parts) {
            System.arraycopy(b.samples, 0, s, at * d, b.count * d);
            System.arraycopy(b.nfe, 0, nfe, at, b.count);
            System.arraycopy(b.latencyMs, 0, lat, at, b.count);
            at += b.count;
        }
        return new SampleBatch(parts.get(0).firstImage, total, shape, s, nfe, lat, manifest);
    }
}
