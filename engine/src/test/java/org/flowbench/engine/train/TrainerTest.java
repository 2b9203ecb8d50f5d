package org.flowbench.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.flowbench.engine.nn.FlowUNet;
import org.flowbench.engine.nn.ParamStore;
import org.flowbench.engine.run.CancellationToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir
    Path dir;

    /** Linear regression y = x·w* + b* with noisy inputs drawn from the step's generator. */
    record Batch(long step, float[] x, float[] y) {}

    static final float[] W_TRUE = {1.5f, -2f, 0.5f, 3f};

    static Trainer.BatchSource<Batch> source() {
        return (step, rng) -> {
            float[] x = new float[8 * 4];
            float[] y = new float[8];
            for (int i = 0; i < 8; i++) {
                double s = 0.7;
                for (int k = 0; k < 4; k++) {
                    x[i * 4 + k] = (float) rng.nextGaussian();
                    s += x[i * 4 + k] * W_TRUE[k];
                }
                y[i] = (float) (s + 0.1 * rng.nextGaussian());
            }
            return new Batch(step, x, y);
        };
    }

    static Trainer.Loss<Batch> loss() {
        return (m, p, b, rng) -> {
            NDArray x = m.create(b.x(), new Shape(8, 4));
            NDArray y = m.create(b.y(), new Shape(8, 1));
            NDArray pred = x.matMul(p.get("w").reshape(4, 1)).add(p.get("b"));
            return pred.sub(y).square().mean();
        };
    }

    static ParamStore init() {
        ParamStore s = new ParamStore();
        s.uniform("w", new int[] {4}, 4, 1.0, new SplittableRandom(1));
        s.constant("b", new int[] {1}, 0f);
        return s;
    }

    static Trainer.Config cfg(long steps) {
        return Trainer.Config.defaults(steps, 11).withLr(0.1).withWarmup(3).withEma(0.9);
    }

    @Test
    void resumeIsBitIdentical() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Trainer<Batch> straight = new Trainer<>(cfg(100), init());
            straight.run(m, source(), loss(), null, CancellationToken.NONE);

            Path ck = dir.resolve("ck.safetensors");
            Trainer<Batch> first = new Trainer<Batch>(cfg(50), init()).checkpointTo(ck, null);
            first.run(m, source(), loss(), null, CancellationToken.NONE);
            Trainer<Batch> second = new Trainer<>(cfg(100), init());
            second.resume(ck);
            assertEquals(50, second.step());
            second.run(m, source(), loss(), null, CancellationToken.NONE);

            assertEquals(100, second.step());
            for (String n : straight.params().names()) {
                assertArrayEquals(straight.params().get(n), second.params().get(n), n);
                assertArrayEquals(straight.ema().get(n), second.ema().get(n), "ema " + n);
            }
            assertNotEquals(init().get("w")[0], straight.params().get("w")[0]);
            assertTrue(straight.lastLoss() < 0.1, "regression learns: " + straight.lastLoss());
        }
    }

    @Test
    void realNetworkResumesBitIdentically() throws Exception {
        FlowUNet net = new FlowUNet(8, 8, 8, 16, 10, 1000);
        int[] shape = {1, 28, 28};
        org.flowbench.engine.data.ImageDataset ds = tinyData();
        try (NDManager m = NDManager.newBaseManager()) {
            Trainer.Config c = Trainer.Config.defaults(4, 5).withLr(1e-3).withWarmup(2);
            Trainer<FlowRecipe.Batch> a = new Trainer<>(c, net.init(5));
            a.run(m, FlowRecipe.source(ds, 4, 5), FlowRecipe.loss(net, shape), null, CancellationToken.NONE);
            Path ck = dir.resolve("net.safetensors");
            Trainer<FlowRecipe.Batch> b = new Trainer<FlowRecipe.Batch>(c.withSteps(2), net.init(5)).checkpointTo(ck, null);
            b.run(m, FlowRecipe.source(ds, 4, 5), FlowRecipe.loss(net, shape), null, CancellationToken.NONE);
            Trainer<FlowRecipe.Batch> b2 = new Trainer<>(c, net.init(5));
            b2.resume(ck);
            b2.run(m, FlowRecipe.source(ds, 4, 5), FlowRecipe.loss(net, shape), null, CancellationToken.NONE);
            for (String n : a.params().names()) {
                assertArrayEquals(a.params().get(n), b2.params().get(n), n);
            }
        }
    }

    static org.flowbench.engine.data.ImageDataset tinyData() {
        int n = 6;
        float[] px = new float[n * 784];
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return new org.flowbench.engine.data.ImageDataset("tiny", new int[] {1, 28, 28}, px, new int[] {0, 1, 2, 3, 4, 5},
                org.flowbench.engine.data.FashionMnist.CLASS_NAMES);
    }

    @Test
    void nonFiniteLossOrGradientSkipsTheStepAndLeavesTheNativeHeapIntact() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            // Every third step has a NaN loss, every third+1 a finite loss with a NaN gradient (sqrt at 0).
            Trainer.Loss<Batch> base = loss();
            Trainer.Loss<Batch> flaky = (mm, p, b, rng) -> {
                if (b.step() % 3 == 0) {
                    return base.loss(mm, p, b, rng).mul(Float.NaN);
                }
                if (b.step() % 3 == 1) {
                    return p.get("w").sub(p.get("w").stopGradient()).square().sum().sqrt();
                }
                return base.loss(mm, p, b, rng);
            };
            Trainer<Batch> t = new Trainer<>(cfg(300), init());
            int[] skippedSeen = {0};
            Trainer.Result r = t.run(m, source(), flaky, p -> {
                if (p.skippedThisStep()) {
                    skippedSeen[0]++;
                }
            }, CancellationToken.NONE);
            assertEquals(200, r.skipped());
            assertEquals(200, skippedSeen[0]);
            assertEquals(100, t.updates());
            for (float v : t.params().get("w")) {
                assertTrue(Float.isFinite(v));
            }
            for (float v : t.ema().get("w")) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    @Test
    void emaWarmupRuleAndFirstAdamStep() throws Exception {
        assertEquals(2.0 / 11, Trainer.emaDecay(0.999999, 1), 1e-15);
        assertEquals(101.0 / 110, Trainer.emaDecay(0.999999, 100), 1e-15);
        assertEquals(0.9, Trainer.emaDecay(0.9, 1000), 1e-15);
        try (NDManager m = NDManager.newBaseManager()) {
            // One Adam step with bias correction moves every weight by lr·g/(|g| + eps) ≈ lr·sign(g).
            ParamStore p0 = init();
            Trainer<Batch> t = new Trainer<>(Trainer.Config.defaults(1, 11).withLr(0.01).withWarmup(0).withEma(0.999), p0);
            t.run(m, source(), loss(), null, CancellationToken.NONE);
            float[] w0 = p0.get("w");
            float[] w1 = t.params().get("w");
            for (int i = 0; i < 4; i++) {
                assertEquals(0.01, Math.abs(w1[i] - w0[i]), 1e-6);
            }
            double d = 2.0 / 11;
            for (int i = 0; i < 4; i++) {
                assertEquals(d * w0[i] + (1 - d) * w1[i], t.ema().get("w")[i], 1e-6);
            }
        }
    }

    @Test
    void warmupIsLinearAndCancelWritesACheckpoint() throws Exception {
        Trainer<Batch> t = new Trainer<>(cfg(10).withWarmup(4).withLr(1.0), init());
        assertEquals(0.25, t.lrAt(1), 1e-12);
        assertEquals(1.0, t.lrAt(4), 1e-12);
        assertEquals(1.0, t.lrAt(9), 1e-12);
        CancellationToken cancel = new CancellationToken();
        Path ck = dir.resolve("c.safetensors");
        try (NDManager m = NDManager.newBaseManager()) {
            t.checkpointTo(ck, null);
            Trainer.Result r = t.run(m, source(), loss(), p -> {
                if (p.step() == 3) {
                    cancel.cancel();
                }
            }, cancel);
            assertTrue(r.cancelled());
            assertFalse(r.finished());
            assertEquals("3", Trainer.checkpointMetadata(ck).get("step"));
        }
    }
}
