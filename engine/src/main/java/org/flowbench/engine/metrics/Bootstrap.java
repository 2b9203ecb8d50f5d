package org.flowbench.engine.metrics;

import java.util.Arrays;
import java.util.List;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.random.NoiseSource;

/**
 * Confidence for FID (method reference §5.7): a bootstrap over the generated features (the reference statistics are
 * held fixed), and an FID∞-style extrapolation {@code FID_N ≈ a + b/N} fitted by least squares.
 *
 * <p>The interval describes how FID at this N moves from one set of N samples to another: the percentile interval of
 * the replicates, shifted by the bootstrap's own bias (replicates minus their mean, plus the estimate). A resample
 * with replacement repeats samples, which shrinks its covariance and biases every replicate's FID upward (the c/N
 * bias of §5.7, larger with duplicates); with few samples the plain percentile interval then lies entirely above the
 * estimate (32 Fashion-MNIST samples: FID 227, percentile interval 256–395), and the basic (reflected) interval can
 * lie entirely below it (FID 219.5, interval [8.1, 193.8]). The shifted interval keeps the replicates' skew and
 * always contains the estimate (its ends are clamped to it and to 0). It says nothing about the c/N bias itself:
 * that is what {@link FidExtrapolation} estimates, and why FID is not reported below the feature dimension.
 */
public final class Bootstrap {
    private static final int STREAM = 0x0B005701;
    private static final int STREAM_SHUFFLE = 0x0B005702;

    private Bootstrap() {}

    /** FID on all N features, and the bias-shifted percentile bootstrap interval at {@code level} from B replicates. */
    public record Interval(double fid, double lo, double hi, double stdError, double level, int replicates, long n) {}

    /** Intercept a (the FID∞ estimate), slope b, and the points (N_j, FID_j) the fit used. */
    public record Extrapolation(double fidInfinity, double slope, long[] ns, double[] fids) {}

    public static Interval fid(Frechet.Reference ref, double[] gen, int n, int d, int replicates, long seed) {
        return fid(ref, gen, n, d, replicates, 0.95, seed, Linalg.get());
    }

    /**
     * Each replicate resamples n rows of gen with replacement (indices from
     * {@link NoiseSource}, so the interval is deterministic for a seed) and computes its FID against ref.
     */
    public static Interval fid(Frechet.Reference ref, double[] gen, int n, int d, int replicates, double level,
            long seed, Linalg linalg) {
        Frechet.requireSameDim(ref.dim(), d);
        if (n < 2) {
            throw new FlowbenchException("FID needs at least 2 generated samples (have " + n + ")");
        }
        if (replicates < 2) {
            throw new IllegalArgumentException("need at least 2 bootstrap replicates");
        }
        GaussianStats all = new GaussianStats(d, linalg);
        all.addBatch(gen, n);
        double fid = ref.distanceTo(all);
        double[] reps = new double[replicates];
        double[] buf = new double[n * d];
        for (int b = 0; b < replicates; b++) {
            for (int i = 0; i < n; i++) {
                int src = Math.min(n - 1, (int) Math.floor(NoiseSource.uniform(seed, b, STREAM, i) * n));
                System.arraycopy(gen, src * d, buf, i * d, d);
            }
            GaussianStats s = new GaussianStats(d, linalg);
            s.addBatch(buf, n);
            reps[b] = ref.distanceTo(s);
        }
        double mean = Arrays.stream(reps).average().orElse(0);
        double var = 0;
        for (double r : reps) {
            var += (r - mean) * (r - mean);
        }
        Arrays.sort(reps);
        double alpha = (1 - level) / 2;
        double shift = fid - mean;
        double lo = Math.max(0, Math.min(fid, quantile(reps, alpha) + shift));
        double hi = Math.max(fid, quantile(reps, 1 - alpha) + shift);
        return new Interval(fid, lo, hi, Math.sqrt(var / (replicates - 1)), level, replicates, n);
    }

    /** Linear-interpolated quantile of sorted values (numpy's default "linear" method). */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        double f = pos - lo;
        return sorted[lo] * (1 - f) + sorted[hi] * f;
    }

    /**
     * FID∞ from chunked statistics: FID of the merged first k chunks for k = 1..K, then a least-squares fit
     * {@code FID = a + b/N}. With 16 chunks of a live run this gives N/16 … N.
     */
    public static Extrapolation extrapolate(Frechet.Reference ref, List<GaussianStats> chunks) {
        if (chunks.size() < 2) {
            throw new FlowbenchException("FID extrapolation needs at least 2 chunks (have " + chunks.size() + ")");
        }
        long[] ns = new long[chunks.size()];
        double[] fids = new double[chunks.size()];
        GaussianStats acc = null;
        for (int k = 0; k < chunks.size(); k++) {
            GaussianStats c = chunks.get(k);
            if (acc == null) {
                acc = c.copy();
            } else {
                acc.merge(c);
            }
            ns[k] = acc.count();
            fids[k] = ref.distanceTo(acc);
        }
        return fit(ns, fids);
    }

    /**
     * FID∞ as in its reference (method reference §5.7): shuffle the generated features (seeded), compute FID on the first N_j
     * for {@code points} values of N_j evenly spaced from minN to n, fit {@code a + b/N}, report a.
     */
    public static Extrapolation fidInfinity(Frechet.Reference ref, double[] gen, int n, int d, int points, int minN,
            long seed, Linalg linalg) {
        Frechet.requireSameDim(ref.dim(), d);
        if (points < 2 || minN < 2 || minN >= n) {
            throw new FlowbenchException("FID∞ needs 2 ≤ minN < n and at least 2 points (n = " + n + ", minN = "
                    + minN + ", points = " + points + ")");
        }
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = Math.min(i, (int) Math.floor(NoiseSource.uniform(seed, 0, STREAM_SHUFFLE, i) * (i + 1)));
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        long[] ns = new long[points];
        double[] fids = new double[points];
        GaussianStats acc = new GaussianStats(d, linalg);
        double[] buf = new double[n * d];
        int have = 0;
        for (int p = 0; p < points; p++) {
            int target = (int) (minN + (long) (n - minN) * p / (points - 1));
            int k = target - have;
            for (int i = 0; i < k; i++) {
                System.arraycopy(gen, perm[have + i] * d, buf, i * d, d);
            }
            acc.addBatch(buf, k);
            have = target;
            ns[p] = have;
            fids[p] = ref.distanceTo(acc);
        }
        return fit(ns, fids);
    }

    static Extrapolation fit(long[] ns, double[] fids) {
        int k = ns.length;
        double sx = 0;
        double sy = 0;
        for (int i = 0; i < k; i++) {
            sx += 1.0 / ns[i];
            sy += fids[i];
        }
        double mx = sx / k;
        double my = sy / k;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < k; i++) {
            double dx = 1.0 / ns[i] - mx;
            sxx += dx * dx;
            sxy += dx * (fids[i] - my);
        }
        double b = sxx == 0 ? 0 : sxy / sxx;
        return new Extrapolation(my - b * mx, b, ns, fids);
    }
}
