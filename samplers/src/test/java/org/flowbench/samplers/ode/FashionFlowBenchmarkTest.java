package org.flowbench.samplers.ode;

import java.util.Arrays;
import java.util.Map;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.SamplerRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Figures for docs/benchmarks.md (built-in image models): one forward pass of builtin:fashion-flow at batch 64, and
 * Euler sampling of 192 images in batches of 64 and of 16 images one at a time, with 1 and 50 steps, and the share of
 * a sampling run spent outside the network (the sampler loop's own overhead); median of 5 after 2 warm-up runs, the same
 * protocol as scripts/bench_unet_eager.py (the PyTorch-eager baseline). Threads: -Dai.djl.pytorch.num_threads=N;
 * another model (e.g. the eager network traced by that script): -Dflowbench.bench.model=REF.
 * Run with {@code mvn -pl samplers -am test -Dflowbench.excludedGroups= -Dgroups=bench -Dtest=FashionFlowBenchmarkTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("bench")
class FashionFlowBenchmarkTest {
    private static double medianSeconds(Runnable r) {
        for (int i = 0; i < 2; i++) {
            r.run();
        }
        double[] s = new double[5];
        for (int i = 0; i < s.length; i++) {
            long t0 = System.nanoTime();
            r.run();
            s[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(s);
        return s[s.length / 2];
    }

    @Test
    void forwardAndSamplingThroughput() {
        String ref = System.getProperty("flowbench.bench.model", "builtin:fashion-flow");
        try (FlowModel model = Models.open(ref)) {
            int n = 64;
            int d = model.dim();
            java.util.SplittableRandom r = new java.util.SplittableRandom(1);
            double[] x = new double[n * d];
            Arrays.setAll(x, i -> r.nextGaussian());
            double[] t = new double[n];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                t[i] = r.nextDouble();
                labels[i] = i % 10;
            }
            double[] out = new double[n * d];
            double fwd = medianSeconds(() -> model.velocityAt(x, n, t, labels, out));
            System.out.printf("BENCH %s forward batch 64: %.4f s (%d intra-op threads)%n", ref, fwd,
                    Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors()));
            for (int batch : new int[] {64, 1}) {
                int images = batch == 64 ? 192 : 16;
                int[] prompts = new int[images];
                Arrays.setAll(prompts, i -> i % 10);
                for (int steps : new int[] {1, 50}) {
                    var euler = SamplerRegistry.create("euler", Map.of("steps", String.valueOf(steps)));
                    SamplingRequest req = new SamplingRequest(0, 0, images, batch, prompts, 0);
                    double[] network = new double[2];
                    double s = medianSeconds(() -> {
                        network[0] = networkSeconds(model);
                        long t0 = System.nanoTime();
                        euler.sample(req, model, ProgressListener.NONE, CancellationToken.NONE);
                        network[1] = (System.nanoTime() - t0) / 1e9 / (networkSeconds(model) - network[0]);
                    });
                    System.out.printf("BENCH %s euler %d steps, batch %d: %d images %.3f s = %.2f img/s;"
                            + " sampling / network time = %.3f%n", ref, steps, batch, images, s, images / s, network[1]);
                }
            }
        }
    }

    /** Time spent in the compiled network so far (NaN for other models: the overhead is then not reported). */
    private static double networkSeconds(FlowModel model) {
        return model instanceof org.flowbench.engine.model.pkg.NetworkFlowModel n ? n.compiledNetworkSeconds()
                : Double.NaN;
    }
}
