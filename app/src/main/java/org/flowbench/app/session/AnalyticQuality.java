package org.flowbench.app.session;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flowbench.engine.metrics.Bootstrap;
import org.flowbench.engine.metrics.Frechet;
import org.flowbench.engine.metrics.GaussianStats;
import org.flowbench.engine.metrics.KidEstimator;
import org.flowbench.engine.metrics.Linalg;
import org.flowbench.engine.model.KnownDistribution;

/**
 * Quality of samples from an analytic mixture, against the exact target: FID against the exact data mean and
 * covariance (with a bootstrap interval), KID against exact samples, and the fraction of samples nearest each
 * component against the exact weights (mode total variation, ½ Σ |f̂_j − π_j|).
 */
final class AnalyticQuality implements QualityEvaluator {
    static final int BOOTSTRAP_REPLICATES = 50;
    /** Exact target samples KID compares with, and the most generated samples it uses. */
    static final int KID_REFERENCE = 1000;
    static final int KID_MAX = 2000;

    private final KnownDistribution mixture;
    /** The run's classes in turn (image i has class cycle[i mod length]); the target is their equal mixture. */
    private final int[] cycle;
    private final int d;
    private final long[] counts;
    private final Frechet.Reference reference;
    private final GaussianStats stats;
    private double[] samples = new double[0];
    private long total;
    private KidEstimator kid;

    AnalyticQuality(KnownDistribution mixture, int label) {
        this(mixture, new int[] {label});
    }

    /**
     * Against the exact distribution of a run whose images take the classes of {@code cycle} in turn: the equal
     * mixture of those classes' distributions (exact moments: the mean of the means; the mean of E[xxᵀ] minus the
     * outer product of that mean).
     */
    AnalyticQuality(KnownDistribution mixture, int[] cycle) {
        this.mixture = mixture;
        this.cycle = cycle.clone();
        this.d = mixture.dim();
        this.counts = new long[mixture.components()];
        double[] mean = new double[d];
        double[] second = new double[d * d];
        for (int l : cycle) {
            double[] m = mixture.dataMean(l);
            double[] c = mixture.dataCovariance(l);
            for (int a = 0; a < d; a++) {
                mean[a] += m[a] / cycle.length;
                for (int b = 0; b < d; b++) {
                    second[a * d + b] += (c[a * d + b] + m[a] * m[b]) / cycle.length;
                }
            }
        }
        double[] cov = new double[d * d];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                cov[a * d + b] = second[a * d + b] - mean[a] * mean[b];
            }
        }
        this.reference = new Frechet.Reference(mean, cov, d, Linalg.get());
        this.stats = new GaussianStats(d);
    }

    /** The exact weight of component j in the run's target. */
    private double weight(int j) {
        double w = 0;
        for (int l : cycle) {
            w += mixture.weight(j, l) / cycle.length;
        }
        return w;
    }

    @Override
    public synchronized void add(double[] xs, int n) {
        for (int i = 0; i < n; i++) {
            counts[mixture.nearestComponent(xs, i * d)]++;
        }
        stats.addBatch(xs, n);
        int need = (int) ((total + n) * d);
        if (need > samples.length) {
            samples = Arrays.copyOf(samples, Math.max(need, samples.length * 2));
        }
        System.arraycopy(xs, 0, samples, (int) (total * d), n * d);
        total += n;
        batches.add(n);
    }

    private final java.util.List<Integer> batches = new java.util.ArrayList<>();
    private long firstImage;

    /** For the images firstImage, firstImage + 1, … of a run (a sweep's shard). */
    AnalyticQuality startingAt(long first) {
        this.firstImage = first;
        return this;
    }

    @Override
    public synchronized QualityPart part() {
        return QualityPart.samples(firstImage, total, Arrays.copyOf(samples, (int) (total * d)),
                batches.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Replays the part's samples batch by batch, as they were added on the shard. */
    @Override
    public void merge(QualityPart p) {
        if (p.samples() == null || p.firstImage() != firstImage + total) {
            throw new org.flowbench.engine.FlowbenchException("a shard of images from " + p.firstImage()
                    + " cannot follow image " + (firstImage + total - 1) + " of this lane");
        }
        int at = 0;
        for (int b : p.batches()) {
            add(Arrays.copyOfRange(p.samples(), at * d, (at + b) * d), b);
            at += b;
        }
    }

    synchronized double[] fractions() {
        double[] f = new double[counts.length];
        for (int j = 0; j < f.length; j++) {
            f[j] = total == 0 ? 0 : counts[j] / (double) total;
        }
        return f;
    }

    @Override
    public Map<String, Double> quick() {
        Map<String, Double> m = new LinkedHashMap<>();
        GaussianStats s;
        double[] f = fractions();
        synchronized (this) {
            if (total < 2) {
                return m;
            }
            s = stats.copy();
        }
        if (s.count() > d) {
            m.put("fid", reference.distanceTo(s));
        }
        double tv = 0;
        for (int j = 0; j < f.length; j++) {
            tv += Math.abs(f[j] - weight(j));
        }
        m.put("modeTv", 0.5 * tv);
        return m;
    }

    @Override
    public Map<String, Double> compute() {
        double[] gen;
        int n;
        GaussianStats s;
        double[] f = fractions();
        synchronized (this) {
            gen = Arrays.copyOf(samples, (int) (total * d));
            n = (int) total;
            s = stats.copy();
        }
        Map<String, Double> m = new LinkedHashMap<>();
        if (n < 2) {
            return m;
        }
        if (n <= d) {
            m.put("fidMinN", (double) d + 1); // a singular covariance: FID not estimable yet
        } else {
            m.put("fid", reference.distanceTo(s));
            // the interval's cost grows with n: fewer replicates for very large runs (at least 10)
            int replicates = (int) Math.max(10, Math.min(BOOTSTRAP_REPLICATES, 200_000L / n));
            Bootstrap.Interval iv = Bootstrap.fid(reference, gen, n, d, replicates, 0x5EED);
            m.put("fidLow", iv.lo());
            m.put("fidHigh", iv.hi());
        }
        KidEstimator k;
        synchronized (this) {
            if (kid == null) {
                kid = new KidEstimator(exactSamples(KID_REFERENCE), KID_REFERENCE, d);
            }
            k = kid;
        }
        if (n >= 3) {
            KidEstimator.Estimate e = k.estimate(gen, Math.min(n, KID_MAX), 0.95);
            m.put("kid", e.kid());
            m.put("kidLow", e.lo());
            m.put("kidHigh", e.hi());
            m.put("kidN", (double) e.n());
        }
        double tv = 0;
        for (int j = 0; j < f.length; j++) {
            tv += Math.abs(f[j] - weight(j));
        }
        m.put("modeTv", 0.5 * tv);
        return m;
    }

    /** n exact samples of the run's target: sample i from class cycle[i mod length]. */
    private double[] exactSamples(int n) {
        double[] out = new double[n * d];
        for (int k = 0; k < cycle.length; k++) {
            int count = (n - k + cycle.length - 1) / cycle.length;
            if (count <= 0) {
                continue;
            }
            double[] s = mixture.sampleData(0xE4AC7L + k, count, cycle[k]);
            for (int j = 0; j < count; j++) {
                System.arraycopy(s, j * d, out, (k + j * cycle.length) * d, d);
            }
        }
        return out;
    }
}
