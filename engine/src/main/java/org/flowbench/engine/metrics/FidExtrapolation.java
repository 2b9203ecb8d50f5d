package org.flowbench.engine.metrics;

/**
 * FID∞ and the FID predicted at a chosen N, from a run of n samples (method reference §5.7, after Chong and Forsyth):
 * FID over N samples is close to {@code a + b/N}; fitting that line to the FIDs of growing prefixes of the run gives
 * the intercept a (FID∞) and the prediction {@code a + b/N*}.
 *
 * <p>Samples are dealt into {@value #CHUNKS} chunks of streaming statistics by a hash of their index as they arrive
 * (a periodic deal would line up with the run's prompt cycle), so the
 * prefixes (chunks 1..k) cost a merge each and no features are kept. Only prefixes of at least {@value #MIN_N}
 * samples enter the fit (below that the 1/N law is not yet followed closely). The interval comes from a delete-group
 * jackknife: the chunks form {@value #GROUPS} groups, the fit is repeated without each group, and the spread of the
 * refits gives a normal interval. The fit quality is R² of the line through the full run's points; a fit with R²
 * below {@value #MIN_R2} or a negative slope (FID rising with N, which the bias law does not allow) is flagged
 * unreliable.
 */
public final class FidExtrapolation {
    public static final int CHUNKS = 20;
    public static final int GROUPS = 10;
    public static final int MIN_N = 500;
    /** The smallest run that is extrapolated: twice MIN_N, so the fit spans at least a factor 2 in N. */
    public static final int MIN_RUN = 2 * MIN_N;
    public static final double MIN_R2 = 0.8;

    /**
     * FID∞ and the predicted FID at {@code targetN}, each with its interval; R² of the fit, the number of points, and
     * whether the fit is reliable (R² ≥ {@value #MIN_R2}, slope ≥ 0).
     */
    public record Estimate(double fidInfinity, double infinityLow, double infinityHigh, long targetN, double predicted,
            double predictedLow, double predictedHigh, double r2, int points, boolean reliable) {}

    private final GaussianStats[] chunks;
    private final int dim;
    /** The run's index of the first row this accumulator sees (a sweep's shard starts inside the run). */
    private final long firstRow;
    private long seen;

    public FidExtrapolation(int dim, Linalg linalg) {
        this(dim, linalg, 0);
    }

    /** For rows firstRow, firstRow + 1, … of a run: each row goes to the chunk it would have gone to in the whole run. */
    public FidExtrapolation(int dim, Linalg linalg, long firstRow) {
        this.dim = dim;
        this.firstRow = firstRow;
        this.chunks = new GaussianStats[CHUNKS];
        for (int c = 0; c < CHUNKS; c++) {
            chunks[c] = new GaussianStats(dim, linalg);
        }
    }

    public FidExtrapolation(int dim) {
        this(dim, Linalg.get());
    }

    /**
     * Adds n feature rows (n × dim). Row i of the run goes to a chunk chosen by a hash of i, not by i mod
     * {@value #CHUNKS}: runs cycle through their prompts (image i has class i mod 10), and a periodic deal would give
     * each chunk one class, so that prefixes of chunks would be prefixes of the classes.
     */
    public synchronized void add(double[] features, int n) {
        int[] counts = new int[CHUNKS];
        int[] chunkOf = new int[n];
        for (int i = 0; i < n; i++) {
            chunkOf[i] = chunkOf(firstRow + seen + i);
            counts[chunkOf[i]]++;
        }
        double[][] rows = new double[CHUNKS][];
        int[] filled = new int[CHUNKS];
        for (int c = 0; c < CHUNKS; c++) {
            rows[c] = new double[counts[c] * dim];
        }
        for (int i = 0; i < n; i++) {
            int c = chunkOf[i];
            System.arraycopy(features, i * dim, rows[c], filled[c]++ * dim, dim);
        }
        for (int c = 0; c < CHUNKS; c++) {
            if (counts[c] > 0) {
                chunks[c].addBatch(rows[c], counts[c]);
            }
        }
        seen += n;
    }

    /** The chunk of row i: splitmix64 of i, so that no period of the run's prompts lines up with the chunks. */
    static int chunkOf(long i) {
        long z = i + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (int) Math.floorMod(z, (long) CHUNKS);
    }

    public synchronized long count() {
        return seen;
    }

    /** The run's index of the next row. */
    public synchronized long nextRow() {
        return firstRow + seen;
    }

    /** Copies of the chunk statistics (a shard's share, merged by {@link #merge}). */
    public synchronized GaussianStats[] chunks() {
        GaussianStats[] c = new GaussianStats[CHUNKS];
        for (int i = 0; i < CHUNKS; i++) {
            c[i] = chunks[i].copy();
        }
        return c;
    }

    /**
     * Adds the chunks of the rows that follow this accumulator's last one ({@code rows} of them), chunk by chunk (Chan's
     * formula): equal to adding the rows themselves up to float64 round-off.
     */
    public synchronized void merge(GaussianStats[] next, long rows) {
        if (next.length != CHUNKS) {
            throw new org.flowbench.engine.FlowbenchException("cannot merge " + next.length + " chunks into " + CHUNKS);
        }
        for (int c = 0; c < CHUNKS; c++) {
            chunks[c].merge(next[c]);
        }
        seen += rows;
    }

    /** The estimate, or null below {@value #MIN_RUN} samples. */
    public Estimate estimate(Frechet.Reference ref, long targetN, double level) {
        GaussianStats[] copy = new GaussianStats[CHUNKS];
        synchronized (this) {
            if (seen < MIN_RUN) {
                return null;
            }
            for (int c = 0; c < CHUNKS; c++) {
                copy[c] = chunks[c].copy();
            }
        }
        Bootstrap.Extrapolation full = fitWithout(ref, copy, -1);
        double[] inf = new double[GROUPS];
        double[] pred = new double[GROUPS];
        for (int g = 0; g < GROUPS; g++) {
            Bootstrap.Extrapolation e = fitWithout(ref, copy, g);
            inf[g] = e.fidInfinity();
            pred[g] = e.fidInfinity() + e.slope() / targetN;
        }
        double z = Normal.quantile(0.5 + level / 2);
        double seInf = Math.sqrt(groupJackknifeVariance(inf));
        double sePred = Math.sqrt(groupJackknifeVariance(pred));
        double a = full.fidInfinity();
        double p = a + full.slope() / targetN;
        double r2 = rSquared(full);
        return new Estimate(a, a - z * seInf, a + z * seInf, targetN, p, Math.max(0, p - z * sePred), p + z * sePred,
                r2, full.ns().length, r2 >= MIN_R2 && full.slope() >= 0);
    }

    /** The line through the FIDs of prefixes (≥ MIN_N samples) of the chunks, leaving out group {@code skip}. */
    private Bootstrap.Extrapolation fitWithout(Frechet.Reference ref, GaussianStats[] cs, int skip) {
        java.util.List<Long> ns = new java.util.ArrayList<>();
        java.util.List<Double> fids = new java.util.ArrayList<>();
        GaussianStats acc = null;
        for (int c = 0; c < CHUNKS; c++) {
            if (c * GROUPS / CHUNKS == skip) {
                continue;
            }
            if (acc == null) {
                acc = cs[c].copy();
            } else {
                acc.merge(cs[c]);
            }
            if (acc.count() >= MIN_N) {
                ns.add(acc.count());
                fids.add(ref.distanceTo(acc));
            }
        }
        return Bootstrap.fit(ns.stream().mapToLong(Long::longValue).toArray(),
                fids.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Delete-group jackknife variance (G−1)/G · Σ (θ₋g − θ̄)². */
    private static double groupJackknifeVariance(double[] leaveOut) {
        double mean = java.util.Arrays.stream(leaveOut).average().orElse(0);
        double ss = 0;
        for (double v : leaveOut) {
            ss += (v - mean) * (v - mean);
        }
        return (leaveOut.length - 1.0) / leaveOut.length * ss;
    }

    static double rSquared(Bootstrap.Extrapolation e) {
        double mean = java.util.Arrays.stream(e.fids()).average().orElse(0);
        double total = 0;
        double residual = 0;
        for (int i = 0; i < e.ns().length; i++) {
            double fitted = e.fidInfinity() + e.slope() / e.ns()[i];
            residual += (e.fids()[i] - fitted) * (e.fids()[i] - fitted);
            total += (e.fids()[i] - mean) * (e.fids()[i] - mean);
        }
        return total == 0 ? 1 : 1 - residual / total;
    }
}
