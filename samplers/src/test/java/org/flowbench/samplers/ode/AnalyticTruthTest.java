package org.flowbench.samplers.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.model.analytic.GaussianMixture;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.SamplerRegistry;
import org.junit.jupiter.api.Test;

/** Samplers against the exact answers of analytic mixtures (issue "Must show" of the foundation). */
class AnalyticTruthTest {
    private static SampleBatch sample(String model, String sampler, Map<String, String> params, long seed, int n) {
        return SamplerRegistry.create(sampler, params).sample(SamplingRequest.of(seed, n, 2000),
                Models.open(model), ProgressListener.NONE, new CancellationToken());
    }

    private static double[] massesAndMean(GaussianMixture m, double[] x, int n) {
        int k = m.components();
        double[] out = new double[k + 2];
        for (int i = 0; i < n; i++) {
            out[m.nearestComponent(x, i * 2)] += 1.0 / n;
            out[k] += x[i * 2] / n;
            out[k + 1] += x[i * 2 + 1] / n;
        }
        return out;
    }

    @Test
    void rk45MatchesModeMassesAndMean() {
        GaussianMixture m = (GaussianMixture) Models.open("builtin:3modes");
        int n = 20_000;
        SampleBatch b = sample("builtin:3modes", "rk45", Map.of(), 11, n);
        double[] r = massesAndMean(m, b.samples(), n);
        for (int j = 0; j < 3; j++) {
            assertEquals(m.weight(j, -1), r[j], 0.015, "mass of mode " + j);
        }
        double[] mean = m.dataMean(-1);
        assertEquals(mean[0], r[3], 0.05);
        assertEquals(mean[1], r[4], 0.05);
    }

    @Test
    void eulerErrorFallsMonotonicallyTowardTheRk45Endpoint() {
        int n = 2000;
        double[] ref = sample("builtin:3modes", "rk45", Map.of("rtol", "1e-9", "atol", "1e-9"), 5, n).samples();
        double previous = Double.POSITIVE_INFINITY;
        double ratio = 0;
        StringBuilder trace = new StringBuilder();
        for (int steps : new int[] {4, 8, 16, 32}) {
            double[] x = sample("builtin:3modes", "euler", Map.of("steps", "" + steps), 5, n).samples();
            double err = 0;
            for (int i = 0; i < x.length; i++) {
                err += (x[i] - ref[i]) * (x[i] - ref[i]);
            }
            err = Math.sqrt(err / n);
            trace.append(steps).append(": ").append(err).append("  ");
            assertTrue(err < previous, "Euler error must fall with steps: " + trace);
            ratio = err / previous;
            previous = err;
        }
        // first order: doubling the steps roughly halves the error (0.58 measured at 16 → 32)
        assertTrue(ratio > 0.4 && ratio < 0.65, trace.toString());
    }

    @Test
    void higherOrderSolversConvergeFaster() {
        int n = 500;
        double[] ref = sample("builtin:3modes", "rk45", Map.of("rtol", "1e-10", "atol", "1e-10"), 8, n).samples();
        double e1 = rms(sample("builtin:3modes", "euler", Map.of("steps", "32"), 8, n).samples(), ref);
        double e2 = rms(sample("builtin:3modes", "heun", Map.of("steps", "16"), 8, n).samples(), ref);
        double e4 = rms(sample("builtin:3modes", "rk4", Map.of("steps", "8"), 8, n).samples(), ref);
        // equal NFE (32): Heun beats Euler; RK4 beats both
        assertTrue(e2 < e1 && e4 < e2, e1 + " " + e2 + " " + e4);
    }

    @Test
    void eulerMaruyamaOnVpPathMatchesTargetMoments() {
        GaussianMixture m = (GaussianMixture) Models.open("builtin:3modes-vp");
        int n = 20_000;
        SampleBatch b = sample("builtin:3modes-vp", "euler-maruyama", Map.of("steps", "500"), 3, n);
        double[] x = b.samples();
        double[] mean = m.dataMean(-1);
        double[] cov = m.dataCovariance(-1);
        double[] r = massesAndMean(m, x, n);
        for (int e = 0; e < 2; e++) {
            double se = Math.sqrt(cov[e * 2 + e] / n);
            assertEquals(mean[e], r[3 + e], 4 * se + 0.02, "mean " + e);
            double v = 0;
            for (int i = 0; i < n; i++) {
                v += (x[i * 2 + e] - r[3 + e]) * (x[i * 2 + e] - r[3 + e]);
            }
            v /= n - 1;
            double varSe = cov[e * 2 + e] * Math.sqrt(2.0 / n) * 2; // heavier tails than a Gaussian: allow 2×
            assertEquals(cov[e * 2 + e], v, 4 * varSe + 0.03 * cov[e * 2 + e], "variance " + e);
        }
        for (int j = 0; j < 3; j++) {
            assertEquals(m.weight(j, -1), r[j], 0.015, "mass of mode " + j);
        }
    }

    @Test
    void eulerMaruyamaOnRectifiedFlowAndVeAlsoMatchModeMasses() {
        for (String model : new String[] {"builtin:3modes", "builtin:3modes-ve"}) {
            GaussianMixture m = (GaussianMixture) Models.open(model);
            int n = 8000;
            double[] r = massesAndMean(m, sample(model, "euler-maruyama", Map.of("steps", "400"), 4, n).samples(), n);
            for (int j = 0; j < 3; j++) {
                assertEquals(m.weight(j, -1), r[j], 0.03, model + " mass of mode " + j);
            }
        }
    }

    private static double rms(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s / (a.length / 2.0));
    }
}
