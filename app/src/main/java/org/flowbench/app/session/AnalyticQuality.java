package org.flowbench.app.session;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flowbench.engine.metrics.Bootstrap;
import org.flowbench.engine.metrics.Frechet;
import org.flowbench.engine.metrics.GaussianStats;
import org.flowbench.engine.metrics.Kid;
import org.flowbench.engine.metrics.Linalg;
import org.flowbench.engine.model.KnownDistribution;

/**
 * Quality of samples from an analytic mixture, against the exact target: FID against the exact data mean and
 * covariance (with a bootstrap interval), KID against exact samples, and the fraction of samples nearest each
 * component against the exact weights (mode total variation, ½ Σ |f̂_j − π_j|).
 */
final class AnalyticQuality implements QualityEvaluator {
    static final int BOOTSTRAP_REPLICATES = 50;
    static final int KID_SUBSETS = 5;
    static final int KID_SUBSET_SIZE = 200;

    private final KnownDistribution mixture;
    private final int label;
    private final int d;
    private final long[] counts;
    private final Frechet.Reference reference;
    private final GaussianStats stats;
    private double[] samples = new double[0];
    private long total;
    private double[] exact;

    AnalyticQuality(KnownDistribution mixture, int label) {
        this.mixture = mixture;
        this.label = label;
        this.d = mixture.dim();
        this.counts = new long[mixture.components()];
        this.reference = new Frechet.Reference(mixture.dataMean(label), mixture.dataCovariance(label), d, Linalg.get());
        this.stats = new GaussianStats(d);
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
        m.put("fid", reference.distanceTo(s));
        double tv = 0;
        for (int j = 0; j < f.length; j++) {
            tv += Math.abs(f[j] - mixture.weight(j, label));
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
        m.put("fid", reference.distanceTo(s));
        // the interval's cost grows with n: fewer replicates for very large runs (at least 10)
        int replicates = (int) Math.max(10, Math.min(BOOTSTRAP_REPLICATES, 200_000L / n));
        Bootstrap.Interval iv = Bootstrap.fid(reference, gen, n, d, replicates, 0x5EED);
        m.put("fidLow", iv.lo());
        m.put("fidHigh", iv.hi());
        synchronized (this) {
            if (exact == null) {
                exact = mixture.sampleData(0xE4AC7L, KID_SUBSET_SIZE * 2, label);
            }
        }
        Kid.Result k = Kid.compute(gen, n, exact, exact.length / d, d, KID_SUBSETS, KID_SUBSET_SIZE, 0x4B1D,
                Linalg.get());
        m.put("kid", k.mean());
        m.put("kidStd", k.std());
        double tv = 0;
        for (int j = 0; j < f.length; j++) {
            tv += Math.abs(f[j] - mixture.weight(j, label));
        }
        m.put("modeTv", 0.5 * tv);
        return m;
    }
}
