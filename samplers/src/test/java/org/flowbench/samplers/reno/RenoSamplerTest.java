package org.flowbench.samplers.reno;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.CostLedger;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.SamplerRegistry;
import org.junit.jupiter.api.Test;

/**
 * ReNO on the shipped one-step student with the built-in classifier as reward: the reward rises, the output is the
 * best image by reward, the judge scores both ends, Stop keeps the best so far, and a judge that is also a reward is
 * refused.
 */
class RenoSamplerTest {
    private static final int[] SHIRT = {6};

    private static SampleBatch run(FlowModel m, Map<String, String> params, int n, ProgressListener l,
                                   CancellationToken cancel) {
        return SamplerRegistry.create("reno", params).sample(SamplingRequest.conditioned(0, 0, n, n, SHIRT, 0), m, l,
                cancel);
    }

    @Test
    void optimisesTheRewardAndReportsWhatItDid() {
        try (FlowModel m = Models.open("builtin:fashion-slimflow")) {
            Map<String, double[]> extras = new HashMap<>();
            List<Integer> traceSteps = new java.util.ArrayList<>();
            int n = 4;
            SampleBatch b = run(m, Map.of("iterations", "10"), n, new ProgressListener() {
                @Override
                public void extras(long first, int count, Map<String, double[]> perImage) {
                    extras.putAll(perImage);
                }

                @Override
                public void trace(long first, int count, int step, Map<String, double[]> values) {
                    traceSteps.add(step);
                    assertEquals(count, values.get("reward").length);
                }
            }, new CancellationToken());
            assertEquals(10, traceSteps.size());
            double[] trace = extras.get("reward-trace");
            for (int i = 0; i < n; i++) {
                double best = extras.get("reward-best")[i];
                assertTrue(best >= extras.get("reward-initial")[i], "image " + i + ": best is at least the initial");
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < 10; k++) {
                    max = Math.max(max, trace[i * 10 + k]);
                }
                assertEquals(max, best, 0, "the output is the best evaluation of the trace");
                assertEquals(Math.sqrt(783), extras.get("noise-norm-best")[i], 0.03 * Math.sqrt(783));
            }
            double before = 0;
            double after = 0;
            for (int i = 0; i < n; i++) {
                before += Math.exp(extras.get("reward1-initial")[i]) / n;
                after += Math.exp(extras.get("reward1-best")[i]) / n;
            }
            assertTrue(after > before + 0.1 || after > 0.95, "p(shirt) " + before + " → " + after);
            assertTrue(extras.containsKey("judge-agrees-best") && extras.containsKey("judge-probability-initial"));
            assertEquals(n * 784, extras.get("initial").length);
            assertEquals(10L * n, b.cost().total(CostLedger.NETWORK));
            assertEquals(9L * n, b.cost().total(CostLedger.BACKWARD));
            assertEquals(10L * n, b.cost().total(CostLedger.REWARD));
            // no-optim returns the product's plain one-step image of the same noise
            SampleBatch plain = SamplerRegistry.create("euler", Map.of("steps", "1")).sample(
                    SamplingRequest.conditioned(0, 0, n, n, SHIRT, 0), m, ProgressListener.NONE,
                    new CancellationToken());
            SampleBatch none = run(m, Map.of("search", "none"), n, ProgressListener.NONE, new CancellationToken());
            assertArrayEquals(plain.samples(), none.samples(), 1e-5);
            assertArrayEquals(none.samples(), extras.get("initial"), 1e-5);
        }
    }

    /** generator=nitro is the Nitro sampler's one-step image of the same noise, and its gradient search works. */
    @Test
    void theNitroGeneratorIsTheNitroSamplersOneStepImage() {
        try (FlowModel m = Models.open("builtin:fashion-nitro")) {
            int n = 3;
            SampleBatch nitro = SamplerRegistry.create("nitro", Map.of("steps", "1")).sample(
                    SamplingRequest.conditioned(0, 0, n, n, SHIRT, 0), m, ProgressListener.NONE,
                    new CancellationToken());
            SampleBatch none = run(m, Map.of("search", "none", "generator", "nitro"), n, ProgressListener.NONE,
                    new CancellationToken());
            assertArrayEquals(nitro.samples(), none.samples(), 1e-5);
            assertEquals(249, ((Number) none.manifest().get("nitroShiftedLevel")).intValue());
            Map<String, double[]> extras = new HashMap<>();
            run(m, Map.of("iterations", "6", "generator", "nitro"), n, new ProgressListener() {
                @Override
                public void extras(long firstImage, int count, Map<String, double[]> perImage) {
                    extras.putAll(perImage);
                }
            }, new CancellationToken());
            for (int i = 0; i < n; i++) {
                assertTrue(extras.get("reward1-best")[i] >= extras.get("reward1-initial")[i]);
            }
            double gain = 0;
            for (int i = 0; i < n; i++) {
                gain += extras.get("reward1-best")[i] - extras.get("reward1-initial")[i];
            }
            assertTrue(gain > 0, "the gradient through the Nitro student raised the reward: " + gain);
        }
    }

    @Test
    void stopKeepsTheBestSoFarAndEndsTheRunAsCancelled() {
        try (FlowModel m = Models.open("builtin:fashion-slimflow")) {
            CancellationToken token = new CancellationToken();
            SampleBatch[] kept = {null};
            int[] evaluations = {0};
            ProgressListener l = new ProgressListener() {
                @Override
                public void trace(long first, int count, int step, Map<String, double[]> values) {
                    if (++evaluations[0] == 3) {
                        token.cancel();
                    }
                }

                @Override
                public void batchDone(SampleBatch batch) {
                    kept[0] = batch;
                }
            };
            assertThrows(CancellationToken.CancelledException.class, () -> run(m, Map.of(), 2, l, token));
            assertEquals(3, evaluations[0], "no evaluation after the stop");
            assertEquals(2, kept[0].count(), "the chunk in flight is delivered with its best images");
            assertEquals(3, kept[0].nfe()[0]);
        }
    }

    @Test
    void aJudgeThatIsAlsoARewardIsRefused() {
        try (FlowModel m = Models.open("builtin:fashion-slimflow")) {
            FlowbenchException e = assertThrows(FlowbenchException.class, () -> run(m,
                    Map.of("rewards", "builtin:fashion-judge=1", "judge", "builtin:fashion-judge"), 1,
                    ProgressListener.NONE, new CancellationToken()));
            assertTrue(e.getMessage().contains("held out"), e.getMessage());
            assertThrows(FlowbenchException.class, () -> SamplerRegistry.create("reno", Map.of("rewards", "x=abc")));
        }
    }

    /** The shipped realism reward is log p(real | x) whatever the prompt, and it is also a classifier. */
    @Test
    void theRealismRewardIgnoresThePrompt() {
        try (org.flowbench.engine.model.Model m = org.flowbench.engine.model.pkg.RewardPackages.open(
                "builtin:fashion-realism"); ai.djl.ndarray.NDManager nd = ai.djl.ndarray.NDManager.newBaseManager()) {
            org.flowbench.engine.model.RewardModel r = m.require(org.flowbench.engine.model.RewardModel.class, "t");
            org.flowbench.engine.model.Classifier c = m.require(org.flowbench.engine.model.Classifier.class, "t");
            assertEquals("log p(real | x)", r.rewardName());
            double[] x = new double[2 * 784];
            org.flowbench.engine.random.NoiseSource.gaussian(1, 0, 0, x, 0, x.length);
            float[] xf = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.tanh(x[i]);
                xf[i] = (float) x[i];
            }
            float[] got = r.reward(nd.create(xf, new ai.djl.ndarray.types.Shape(2, 1, 28, 28)),
                    org.flowbench.engine.model.Condition.of(new int[] {3, -1}, 2)).toFloatArray();
            double[] lp = new double[2 * c.classes()];
            c.logProbabilities(x, 2, lp);
            assertEquals(2, c.classes());
            assertEquals(lp[0], got[0], 1e-5);
            assertEquals(lp[2], got[1], 1e-5);
        }
    }
}
