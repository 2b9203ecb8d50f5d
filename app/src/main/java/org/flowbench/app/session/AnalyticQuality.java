package org.flowbench.app.session;

import java.util.LinkedHashMap;
import java.util.Map;
import org.flowbench.engine.model.analytic.GaussianMixture;

/**
 * Quality of samples from an analytic mixture: the fraction of samples nearest each component against the exact
 * weights (mode total variation, ½ Σ |f̂_j − π_j|), plus FID against the exact data moments once the metrics
 * package provides it.
 */
final class AnalyticQuality implements QualityEvaluator {
    private final GaussianMixture mixture;
    private final int label;
    private final long[] counts;
    private long total;

    AnalyticQuality(GaussianMixture mixture, int label) {
        this.mixture = mixture;
        this.label = label;
        this.counts = new long[mixture.components()];
    }

    @Override
    public synchronized void add(double[] xs, int n) {
        int d = mixture.dim();
        for (int i = 0; i < n; i++) {
            counts[mixture.nearestComponent(xs, i * d)]++;
        }
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
    public Map<String, Double> compute() {
        Map<String, Double> m = new LinkedHashMap<>();
        double[] f = fractions();
        double tv = 0;
        for (int j = 0; j < f.length; j++) {
            tv += Math.abs(f[j] - mixture.weight(j, label));
        }
        synchronized (this) {
            if (total > 0) {
                m.put("modeTv", 0.5 * tv);
            }
        }
        return m;
    }
}
