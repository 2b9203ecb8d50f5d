package org.flowbench.engine.run;

import java.util.Arrays;

/**
 * Samples in image-index order: {@code samples} holds {@code count} flattened images of {@code shape}. Per image:
 * what it cost ({@link CostLedger}: network evaluations and the other counters) and its share of wall time in
 * milliseconds.
 */
public record SampleBatch(long firstImage, int count, int[] shape, double[] samples, CostLedger cost,
                          double[] latencyMs, RunManifest manifest) {
    public SampleBatch {
        int dim = dim(shape);
        if (samples.length != (long) count * dim || cost.count() != count || latencyMs.length != count) {
            throw new IllegalArgumentException("inconsistent batch: count " + count + ", dim " + dim
                    + ", samples " + samples.length + ", cost " + cost.count() + ", latency " + latencyMs.length);
        }
    }

    /** Network evaluations per image (the NFE). */
    public long[] nfe() {
        return cost.counts(CostLedger.NETWORK);
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
        return cost.total(CostLedger.NETWORK);
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
        double[] lat = new double[total];
        int at = 0;
        for (SampleBatch b : parts) {
            System.arraycopy(b.samples, 0, s, at * d, b.count * d);
            System.arraycopy(b.latencyMs, 0, lat, at, b.count);
            at += b.count;
        }
        CostLedger cost = CostLedger.concat(parts.stream().map(SampleBatch::cost).toList());
        return new SampleBatch(parts.get(0).firstImage, total, shape, s, cost, lat, manifest);
    }
}
