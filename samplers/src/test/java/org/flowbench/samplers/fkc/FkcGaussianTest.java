package org.flowbench.samplers.fkc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.flowbench.engine.model.analytic.GaussianMixture;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.Configs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * §4.3.2: annealing one Gaussian N(m, v) on the VE path: the weighted population has variance (v + σ²)/β at every
 * level and v/β at the end; judged on 8 pooled runs of 4 000 particles, 200 EDM steps.
 */
class FkcGaussianTest {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FkcGaussianTest.class);

    private static void printf(String format, Object... args) {
        LOG.info(String.format(java.util.Locale.ROOT, format, args).strip());
    }

    static final double M = 0.5;
    static final double V = 0.49;
    static final int RUNS = 8;
    static final int N = 4000;
    static final int STEPS = 200;

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 2, 3})
    @Tag("slow")
    void varianceLaw(double beta) {
        GaussianMixture q = FkcTestSupport.ve1d("gauss", new double[] {1}, new double[] {M}, new double[] {0.7}, null);
        Map<String, String> p = new HashMap<>();
        p.put("target", "anneal");
        p.put("beta", Double.toString(beta));
        p.put("steps", Integer.toString(STEPS));
        p.put("particles", Integer.toString(N));
        p.put("output", "all");
        p.put("init", "exact");
        FkcSampler sampler = new FkcSampler(Configs.bind(FkcSampler.Config.class, p));
        int[] levels = new int[10];
        for (int i = 0; i < 10; i++) {
            levels[i] = 19 + 20 * i - (i == 9 ? 1 : 0); // 19, 39, …, 179, 198 (the last step's result is the end)
        }
        double[] varSum = new double[10];
        double[] expected = new double[10];
        double finalVar = 0;
        double finalMean = 0;
        for (int r = 0; r < RUNS; r++) {
            SamplingRequest req = new SamplingRequest(300 + r, 0, N, N, null, 0);
            int[] at = {0};
            SampleBatch b = sampler.sample(req, q, ProgressListener.NONE, CancellationToken.NONE,
                    (step, t, x, logw, ps, sz) -> {
                        if (at[0] < 10 && step == levels[at[0]]) {
                            double[] pr = Resampler.probabilities(logw, 0, N);
                            double mu = 0;
                            for (int i = 0; i < N; i++) {
                                mu += pr[i] * x[i];
                            }
                            double var = 0;
                            for (int i = 0; i < N; i++) {
                                var += pr[i] * (x[i] - mu) * (x[i] - mu);
                            }
                            double sigma = q.path().sigma(t);
                            varSum[at[0]] += var / RUNS;
                            expected[at[0]] = (V + sigma * sigma) / beta;
                            at[0]++;
                        }
                    });
            finalVar += FkcTestSupport.variance(b.samples()) / RUNS;
            finalMean += FkcTestSupport.mean(b.samples()) / RUNS;
        }
        printf("beta %.1f: final var %.4f (v/β %.4f), mean %.4f; levels %s vs %s%n", beta, finalVar,
                V / beta, finalMean, Arrays.toString(varSum), Arrays.toString(expected));
        for (int i = 0; i < 10; i++) {
            assertEquals(expected[i], varSum[i], 0.05 * expected[i], "level " + i);
        }
        double sigmaMin = 0.01;
        double target = (V + sigmaMin * sigmaMin) / beta;
        assertEquals(target, finalVar, 0.05 * target, "final variance");
        assertEquals(M, finalMean, 0.1 * Math.sqrt(V / beta), "final mean");
    }
}
