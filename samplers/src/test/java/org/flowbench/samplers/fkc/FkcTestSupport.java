package org.flowbench.samplers.fkc;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.analytic.GaussianMixture;
import org.flowbench.engine.model.analytic.MixtureSpec;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.SamplerRegistry;

/** 1-D VE mixtures, FKC runs and grid truths for the FKC tests. */
final class FkcTestSupport {
    private FkcTestSupport() {}

    static GaussianMixture ve1d(String id, double[] w, double[] mu, double[] s, int[] labels) {
        double[][] means = new double[mu.length][];
        for (int j = 0; j < mu.length; j++) {
            means[j] = new double[] {mu[j]};
        }
        return new GaussianMixture(id, new MixtureSpec("ve", w, means, s, labels, null, 0.01, 10));
    }

    /** Runs fkc with the §4.3 setup (EDM grid 10 → 0.01, ρ = 7) plus the given parameters; n samples. */
    static SampleBatch run(FlowModel m, Map<String, String> params, long seed, int n, int label) {
        int[] labels = new int[n];
        Arrays.fill(labels, label);
        SamplingRequest req = new SamplingRequest(seed, 0, n, n, labels, 0);
        return SamplerRegistry.create("fkc", params).sample(req, m, ProgressListener.NONE, CancellationToken.NONE);
    }

    /** Grid truth of an unnormalised 1-D log-density on [−8, 8] with 20 001 points: the CDF. */
    static final class Truth {
        final double[] x;
        final double[] cdf;
        final double mean;
        final double var;
        final double dx;

        Truth(DoubleUnaryOperator logDensity) {
            int m = 20001;
            x = new double[m];
            double[] p = new double[m];
            dx = 16.0 / (m - 1);
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < m; i++) {
                x[i] = -8 + i * dx;
                p[i] = logDensity.applyAsDouble(x[i]);
                max = Math.max(max, p[i]);
            }
            double z = 0;
            for (int i = 0; i < m; i++) {
                p[i] = Math.exp(p[i] - max);
            }
            // trapezoid rule
            cdf = new double[m];
            for (int i = 1; i < m; i++) {
                z += 0.5 * (p[i] + p[i - 1]) * dx;
                cdf[i] = z;
            }
            double mu = 0;
            double m2 = 0;
            for (int i = 0; i < m; i++) {
                cdf[i] /= z;
                double wi = (i == 0 || i == m - 1 ? 0.5 : 1) * p[i] * dx / z;
                mu += wi * x[i];
                m2 += wi * x[i] * x[i];
            }
            mean = mu;
            var = m2 - mu * mu;
        }

        double cdfAt(double v) {
            if (v <= x[0]) {
                return 0;
            }
            if (v >= x[x.length - 1]) {
                return 1;
            }
            int i = (int) ((v - x[0]) / dx);
            double f = (v - x[i]) / dx;
            return cdf[i] + f * (cdf[Math.min(i + 1, x.length - 1)] - cdf[i]);
        }

        /** W1 = ∫ |F_emp − F| dx on the grid. */
        double w1(double[] samples) {
            double[] s = samples.clone();
            Arrays.sort(s);
            double acc = 0;
            int j = 0;
            for (int i = 0; i < x.length; i++) {
                while (j < s.length && s[j] <= x[i]) {
                    j++;
                }
                acc += Math.abs((double) j / s.length - cdf[i]) * dx;
            }
            return acc;
        }
    }

    static double[] pooled(List<SampleBatch> runs) {
        return runs.stream().flatMapToDouble(b -> Arrays.stream(b.samples())).toArray();
    }

    static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    static double variance(double[] v) {
        double m = mean(v);
        return Arrays.stream(v).map(a -> (a - m) * (a - m)).sum() / v.length;
    }

    static double fractionBelow(double[] v, double c) {
        return Arrays.stream(v).filter(a -> a < c).count() / (double) v.length;
    }
}
