package org.flowbench.samplers.disa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.flowbench.engine.io.Npy;
import org.flowbench.engine.model.ArTokenModel;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.CostLedger;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.engine.train.MarRecipe;
import org.flowbench.engine.train.Recipe;
import org.flowbench.engine.train.Trainer;
import org.flowbench.samplers.SamplerRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiny MAR end to end on a small fixture: {@code flowbench train mar}'s recipe trains and writes a package, the
 * package opens as an autoregressive token model, patches round-trip through its token layout, and DiSA samples
 * prompted images from it with the exact cost ledger, the same images in any batch.
 */
class MarPackageTest {
    @TempDir
    Path dir;

    @Test
    void trainedPackageOpensAndSamplesWithDisa() throws Exception {
        int n = 16;
        double[] px = new double[n * 784];
        double[] labels = new double[n];
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int k = 0; k < 784; k++) {
                px[i * 784 + k] = (i % 2 == 0 ? -0.5 : 0.5) + 0.1 * rng.nextGaussian();
            }
        }
        Path data = dir.resolve("toy.npy");
        Npy.writeFloat32(data, new int[] {n, 28, 28}, px);
        Npy.writeFloat32(dir.resolve("toy.labels.npy"), new int[] {n}, labels);
        Path out = dir.resolve("mar");
        Recipe r = new Recipe(data, out, 3, 4, 0, 1e-3, 1, 0.9, false, 1e9, "test", "none");
        Trainer.Result res = MarRecipe.run(r, 2, p -> { }, CancellationToken.NONE);
        assertTrue(res.finished());
        try (FlowModel m = Models.open(out.toString())) {
            ArTokenModel t = m.require(ArTokenModel.class, "this test");
            assertEquals(49, t.tokens());
            assertEquals(16, t.tokenDim());
            double[] img = Arrays.copyOf(px, 2 * 784);
            assertArrayEquals(img, t.toImages(t.toTokens(img, 2), 2), 1e-6);
            var disa = SamplerRegistry.create("disa", Map.of("ar-steps", "4", "upper", "6", "lower", "2", "cfg", "2"));
            SampleBatch a = disa.sample(SamplingRequest.conditioned(1, 0, 4, 4, new int[] {0, 1}, 0), m,
                    ProgressListener.NONE, CancellationToken.NONE);
            SampleBatch b = disa.sample(SamplingRequest.conditioned(1, 0, 4, 1, new int[] {0, 1}, 0), m,
                    ProgressListener.NONE, CancellationToken.NONE);
            assertArrayEquals(new int[] {1, 28, 28}, a.shape());
            assertTrue(Arrays.stream(a.samples()).allMatch(Double::isFinite));
            assertArrayEquals(a.samples(), b.samples(), 1e-5, "batch 4 against one at a time");
            // guided: 2 backbone calls per AR step; 49 tokens over 4 steps, head steps 6, 4, 3, 2 (linear), doubled
            assertEquals(4L * 2 * 4, a.cost().total(CostLedger.BACKBONE));
            int[] perStep = MaskSchedule.tokensPerStep(49, 4);
            int[] steps = HeadSteps.mar(HeadSteps.Strategy.LINEAR, 4, 6, 2);
            long head = 0;
            for (int k = 0; k < 4; k++) {
                head += (long) perStep[k] * steps[k];
            }
            assertEquals(4L * 2 * head, a.cost().total(CostLedger.HEAD));
        }
    }
}
