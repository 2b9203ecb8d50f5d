package org.flowbench.samplers.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.model.analytic.GaussianMixture;
import org.flowbench.engine.model.analytic.MixtureSpec;
import org.flowbench.engine.random.NoiseSource;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.SamplerRegistry;
import org.flowbench.samplers.boss.BellmanDp;
import org.flowbench.samplers.boss.BossCost;
import org.flowbench.samplers.boss.CostMatrix;

/**
 * The figures of docs/benchmarks.md "BOSS and FKC" (not a test; run by hand):
 * {@code java -cp samplers/target/classes:samplers/target/test-classes:<deps> org.flowbench.samplers.bench.BossFkcBench}.
 */
public final class BossFkcBench {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BossFkcBench.class);

    private static void printf(String format, Object... args) {
        LOG.info(String.format(java.util.Locale.ROOT, format, args).strip());
    }

    private BossFkcBench() {}

    static double medianMs(int warm, int reps, Runnable r) {
        for (int i = 0; i < warm; i++) {
            r.run();
        }
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }

    /** Interleaves the two runs (the machine is shared), returns the medians. */
    static void fkc(String label, FlowModel m, Map<String, String> p, int n, int[] labels) {
        Map<String, String> off = new HashMap<>(p);
        off.put("correct", "false");
        SamplingRequest req = new SamplingRequest(1, 0, n, n, labels, 0);
        Runnable onRun = () -> SamplerRegistry.create("fkc", p).sample(req, m, ProgressListener.NONE,
                CancellationToken.NONE);
        Runnable offRun = () -> SamplerRegistry.create("fkc", off).sample(req, m, ProgressListener.NONE,
                CancellationToken.NONE);
        for (int i = 0; i < 3; i++) {
            onRun.run();
            offRun.run();
        }
        int reps = 11;
        double[] a = new double[reps];
        double[] b = new double[reps];
        for (int i = 0; i < reps; i++) {
            a[i] = medianMs(0, 1, offRun);
            b[i] = medianMs(0, 1, onRun);
        }
        Arrays.sort(a);
        Arrays.sort(b);
        printf("FKC %s: correct=false %.1f ms, correct=true %.1f ms (medians of %d interleaved), ratio %.2f%n",
                label, a[reps / 2], b[reps / 2], reps, b[reps / 2] / a[reps / 2]);
    }

    public static void main(String[] args) {
        // FKC vs the same SDE without weights, equal particles
        GaussianMixture anneal = new GaussianMixture("anneal", new MixtureSpec("ve", new double[] {0.5, 0.5},
                new double[][] {{-2}, {2}}, new double[] {0.3, 1.0}, null, null, 0.01, 10));
        fkc("anneal 1-D, 4000 particles (output=all), 200 steps", anneal, Map.of("target", "anneal", "beta", "2",
                "steps", "200", "particles", "4000", "output", "all"), 4000, null);
        FlowModel two = Models.open("builtin:2modes");
        int[] labels = new int[500];
        Arrays.fill(labels, 1);
        fkc("cfg w=2 on builtin:2modes, 500 images x 8 particles (output=first), 100 steps", two,
                Map.of("target", "cfg", "guidance", "2", "steps", "100", "particles", "8"), 500, labels);

        fkc("anneal beta=2 on a 784-d 10-component mixture, 40 images x 8 particles (output=first), 50 steps",
                imageSized(), Map.of("target", "anneal", "beta", "2", "steps", "50", "particles", "8"), 40, null);

        // DP, N = 100, K = 10
        CostMatrix c = BossCost.compute(Models.open("builtin:boss-toy"), 100, 100, 0, CancellationToken.NONE);
        double[] sink = {0};
        double dp = medianMs(200, 101, () -> sink[0] += BellmanDp.solve(c, 10).objective());
        printf("DP N=100 K=10: %.3f ms (median of 101; checksum %.3f)%n", dp, sink[0]);

        // cost matrix vs its bare N·M field evaluations
        for (FlowModel m : new FlowModel[] {Models.open("builtin:boss-toy"), imageSized()}) {
            int fine = 100;
            int samples = 100;
            double full = medianMs(2, 5, () -> BossCost.compute(m, fine, samples, 0, CancellationToken.NONE));
            double[] x = new double[samples * m.dim()];
            for (int i = 0; i < samples; i++) {
                NoiseSource.gaussian(0, i, 0, x, i * m.dim(), m.dim());
            }
            double[] v = new double[x.length];
            double bare = medianMs(2, 5, () -> {
                for (int k = 0; k < fine; k++) {
                    m.velocity(x, samples, k / (double) fine, null, v);
                }
            });
            printf("cost matrix %s (d=%d): %.1f ms; bare %d evaluations %.1f ms; ratio %.2f%n", m.id(),
                    m.dim(), full, fine * samples, bare, full / bare);
        }
    }

    /** A 784-dimensional, 10-component mixture: image-sized states for the cost-matrix benchmark. */
    static FlowModel imageSized() {
        int d = 784;
        int k = 10;
        double[][] means = new double[k][d];
        double[] w = new double[k];
        double[] s = new double[k];
        for (int j = 0; j < k; j++) {
            NoiseSource.gaussian(99, j, 3, means[j], 0, d);
            w[j] = 1.0 / k;
            s[j] = 0.3;
        }
        return new GaussianMixture("mixture-784x10", MixtureSpec.of("rectified-flow", w, means, s));
    }
}
