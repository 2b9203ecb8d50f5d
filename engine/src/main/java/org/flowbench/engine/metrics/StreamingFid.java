package org.flowbench.engine.metrics;

import java.util.ArrayList;
import java.util.List;
import org.flowbench.engine.random.NoiseSource;

/**
 * The state behind a live FID panel (method reference §5.9): generated features arrive in batches; statistics are
 * kept per chunk of {@code chunkSize} samples (so FID at several N and an {@code a + b/N} extrapolation can be formed
 * by merging chunks), and a reservoir of at most {@code reservoirSize} feature vectors is kept for KID against a
 * reference feature sample. {@link #snapshot()} is O(d³) through the cached reference factor: call it on a timer or
 * every k batches, not per sample. Not thread-safe: feed and read from one thread (or synchronise outside).
 */
public final class StreamingFid {
    private static final int RESERVOIR_STREAM = 0x5EF00001;

    private final Frechet.Reference reference;
    private final int dim;
    private final int chunkSize;
    private final List<GaussianStats> chunks = new ArrayList<>();
    private final double[] refFeatures;
    private final int refCount;
    private final double[] reservoir;
    private final int reservoirSize;
    private final long seed;
    private long seen;
    private final Linalg linalg;

    /** FID (and KID if reference features are given) at the current N; extrapolation is NaN with < 3 chunks. */
    public record Snapshot(long n, double fid, double fidInfinity, Kid.Result kid) {}

    /**
     * @param refFeatures a sample of reference features (nRef × d) for KID, or null for no KID
     * @param reservoirSize how many generated feature vectors to keep for KID (clean-fid uses subsets of ≤ 1000)
     */
    public StreamingFid(Frechet.Reference reference, int chunkSize, double[] refFeatures, int nRef, int reservoirSize,
            long seed, Linalg linalg) {
        if (chunkSize < 2) {
            throw new IllegalArgumentException("chunkSize must be at least 2");
        }
        this.reference = reference;
        this.dim = reference.dim();
        this.chunkSize = chunkSize;
        this.refFeatures = refFeatures;
        this.refCount = refFeatures == null ? 0 : nRef;
        this.reservoirSize = refFeatures == null ? 0 : reservoirSize;
        this.reservoir = new double[this.reservoirSize * dim];
        this.seed = seed;
        this.linalg = linalg;
    }

    public StreamingFid(Frechet.Reference reference) {
        this(reference, 1000, null, 0, 0, 0, Linalg.get());
    }

    public long count() {
        return seen;
    }

    /** Adds n feature vectors (n × d). */
    public void add(double[] features, int n) {
        if (features.length < (long) n * dim) {
            throw new IllegalArgumentException("features hold " + features.length / dim + " rows of " + dim + ", "
                    + n + " requested");
        }
        int at = 0;
        while (at < n) {
            GaussianStats last = chunks.isEmpty() ? null : chunks.get(chunks.size() - 1);
            if (last == null || last.count() >= chunkSize) {
                last = new GaussianStats(dim, linalg);
                chunks.add(last);
            }
            int k = (int) Math.min(n - at, chunkSize - last.count());
            last.addBatch(java.util.Arrays.copyOfRange(features, at * dim, (at + k) * dim), k);
            for (int i = 0; i < k; i++) {
                offerToReservoir(features, at + i);
            }
            at += k;
        }
    }

    /** Reservoir sampling (Algorithm R) with seeded uniforms: the kept set depends only on the seed and the order. */
    private void offerToReservoir(double[] features, int row) {
        if (reservoirSize == 0) {
            seen++;
            return;
        }
        long index = seen++;
        int slot;
        if (index < reservoirSize) {
            slot = (int) index;
        } else {
            long j = (long) Math.floor(NoiseSource.uniform(seed, index, RESERVOIR_STREAM, 0) * (index + 1));
            if (j >= reservoirSize) {
                return;
            }
            slot = (int) j;
        }
        System.arraycopy(features, row * dim, reservoir, slot * dim, dim);
    }

    /** All statistics merged. */
    public GaussianStats merged() {
        GaussianStats all = new GaussianStats(dim, linalg);
        for (GaussianStats c : chunks) {
            all.merge(c);
        }
        return all;
    }

    public Snapshot snapshot() {
        if (seen < 2) {
            return new Snapshot(seen, Double.NaN, Double.NaN, null);
        }
        double inf = Double.NaN;
        double fid;
        if (chunks.size() >= 3) {
            Bootstrap.Extrapolation ex = Bootstrap.extrapolate(reference, chunks);
            fid = ex.fids()[ex.fids().length - 1];
            inf = ex.fidInfinity();
        } else {
            fid = reference.distanceTo(merged());
        }
        Kid.Result kid = null;
        int kept = (int) Math.min(seen, reservoirSize);
        if (reservoirSize > 0 && kept >= 2 && refCount >= 2) {
            kid = Kid.compute(refFeatures, refCount, reservoir, kept, dim, Kid.DEFAULT_SUBSETS,
                    Kid.DEFAULT_MAX_SUBSET, seed, linalg);
        }
        return new Snapshot(seen, fid, inf, kid);
    }
}
