package org.flowbench.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.nn.NDParams;
import org.flowbench.engine.nn.ParamStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parameter groups with their own optimisers, frozen groups, exact resume, and R1 by double backward. */
class StepTrainerTest {
    @TempDir
    Path dir;

    private static ParamStore vector(String name, long seed, int n) {
        ParamStore s = new ParamStore();
        s.uniform(name, new int[] {n}, 1, 1.0, new SplittableRandom(seed));
        return s;
    }

    /** "generator" g pulls towards "critic" c; the critic moves towards 1; the teacher is a constant offset. */
    private static StepTrainer.Loss loss(boolean generatorTurn) {
        return (m, p, rng) -> {
            NDArray g = p.get("generator").get("g");
            NDArray c = p.get("critic").get("c");
            NDArray t = p.get("teacher").get("t");
            NDArray noise = m.create(new float[] {(float) rng.nextGaussian(), (float) rng.nextGaussian(),
                (float) rng.nextGaussian()}, new Shape(3));
            return generatorTurn ? g.sub(c).sub(t).add(noise.mul(0.1f)).square().sum()
                    : c.sub(1f).add(g.mul(0.01f)).square().sum();
        };
    }

    private static StepTrainer trainer() {
        return new StepTrainer(7)
                .add("generator", vector("g", 1, 3), Adam.defaults(1e-2).withWarmup(3).withEma(0.9))
                .add("critic", vector("c", 2, 3), Adam.defaults(5e-2).withBetas(0.0, 0.99).withClip(0.5))
                .addFrozen("teacher", vector("t", 3, 3));
    }

    private static void run(StepTrainer t, NDManager m, int steps) {
        for (int i = 0; i < steps; i++) {
            boolean gen = t.step() % 2 == 0;
            t.step(m, Set.of(gen ? "generator" : "critic"), loss(gen));
        }
    }

    @Test
    void eachStepUpdatesOnlyItsGroupsWithTheirOwnOptimiser() {
        try (NDManager m = NDManager.newBaseManager()) {
            StepTrainer t = trainer();
            float[] teacher = t.group("teacher").params().get("t").clone();
            float[] critic = t.group("critic").params().get("c").clone();
            StepTrainer.StepResult r = t.step(m, Set.of("generator"), loss(true));
            assertFalse(r.skipped());
            assertEquals(Set.of("generator"), r.gradNorms().keySet());
            assertArrayEquals(critic, t.group("critic").params().get("c"), "the critic is a constant here");
            assertEquals(1, t.group("generator").updates());
            assertEquals(0, t.group("critic").updates());
            run(t, m, 9);
            assertArrayEquals(teacher, t.group("teacher").params().get("t"), "a frozen group never changes");
            assertEquals(5, t.group("generator").updates());
            assertEquals(5, t.group("critic").updates());
            assertThrows(IllegalArgumentException.class, () -> t.step(m, Set.of("teacher"), loss(true)));
            Map<String, Object> prov = t.provenance();
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> groups = (Map<String, Map<String, Object>>) prov.get("groups");
            assertEquals(0.0, groups.get("critic").get("beta1"));
            assertEquals(0.5, groups.get("critic").get("clipNorm"));
            assertEquals(3, groups.get("generator").get("warmupSteps"));
            assertEquals(true, groups.get("teacher").get("frozen"));
        }
    }

    @Test
    void everyHyperParameterOfTheSingleGroupLoopIsSerialised() {
        Map<String, Object> m = Trainer.Config.defaults(10, 3).withLr(1e-3).toMap();
        for (String k : List.of("steps", "lr", "warmupSteps", "beta1", "beta2", "eps", "clipNorm", "emaDecay", "seed")) {
            assertTrue(m.containsKey(k), "provenance lacks " + k + ": " + m);
        }
        assertEquals(1e-3, m.get("lr"));
        assertEquals(0.999, m.get("beta2"));
    }

    @Test
    void resumeContinuesExactly() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            StepTrainer straight = trainer();
            run(straight, m, 12);
            StepTrainer first = trainer();
            run(first, m, 7);
            Path ckpt = dir.resolve("ckpt.safetensors");
            first.save(ckpt);
            StepTrainer resumed = trainer();
            resumed.resume(ckpt);
            assertEquals(7, resumed.step());
            run(resumed, m, 5);
            for (String g : List.of("generator", "critic")) {
                String n = g.equals("generator") ? "g" : "c";
                assertArrayEquals(straight.group(g).params().get(n), resumed.group(g).params().get(n), g);
                assertArrayEquals(straight.group(g).ema().get(n), resumed.group(g).ema().get(n), g + " EMA");
            }
            StepTrainer other = new StepTrainer(7)
                    .add("generator", vector("g", 1, 3), Adam.defaults(2e-2))
                    .add("critic", vector("c", 2, 3), Adam.defaults(5e-2))
                    .addFrozen("teacher", vector("t", 3, 3));
            FlowbenchException e = assertThrows(FlowbenchException.class, () -> other.resume(ckpt));
            assertTrue(e.getMessage().contains("group generator was trained with"), e.getMessage());
        }
    }

    /**
     * D(x) = Σ_j w_j x_j²: ∇x D = 2 w ⊙ x, R1 = Σ_j 4 w_j² x_j², ∂R1/∂w_j = 8 w_j x_j². The parameter gradient of a
     * loss made of R1 alone must be exactly that (not contaminated by the inner backward's ∂D/∂w = x²).
     */
    @Test
    void r1PenaltyHasTheExactSecondOrderGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] w = {0.5f, -1.5f, 2f};
            float[][] xs = {{1f, 2f, -1f}, {0.5f, -0.3f, 3f}};
            NDArray wa = m.create(w, new Shape(3));
            wa.setRequiresGradient(true);
            NDParams p = new NDParams(Map.of("w", wa));
            NDArray x = m.create(new float[] {1f, 2f, -1f, 0.5f, -0.3f, 3f}, new Shape(2, 3));
            float[] r1;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray pen = GradientPenalty.r1(x, xx -> xx.square().mul(wa).sum(new int[] {1}), p);
                r1 = pen.toFloatArray();
                gc.backward(pen.sum());
            }
            float[] grad = wa.getGradient().toFloatArray();
            for (int i = 0; i < 2; i++) {
                double want = 0;
                for (int j = 0; j < 3; j++) {
                    want += 4 * w[j] * w[j] * xs[i][j] * xs[i][j];
                }
                assertEquals(want, r1[i], 1e-4 * want, "R1 of sample " + i);
            }
            for (int j = 0; j < 3; j++) {
                double want = 0;
                for (float[] xi : xs) {
                    want += 8 * w[j] * xi[j] * xi[j];
                }
                assertEquals(want, grad[j], 1e-4 * Math.abs(want) + 1e-5, "∂R1/∂w_" + j);
            }
        }
    }
}
