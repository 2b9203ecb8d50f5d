package org.flowbench.samplers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.CostLedger;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.RunManifest;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.junit.jupiter.api.Test;

/**
 * The sampler contract on an autoregressive token model (builtin:gmm-tokens, the oracle of DiSA's premise test),
 * where only token samplers run: the suite's checks that count image-field evaluations do not apply, so this kind has
 * its own: shapes, determinism, images independent of the batch and re-made alone (bit for bit: the model is computed
 * in Java), the cost ledger's backbone and token-weighted head counts, cancel within one head step, a complete
 * manifest, and samplers of image fields refused in one line.
 */
class TokenModelConformanceTest {
    private static final Map<String, String> PARAMS = Map.of("ar-steps", "8", "upper", "20", "lower", "4");

    private static SampleBatch run(SamplingRequest req, ProgressListener l, CancellationToken c) {
        return SamplerRegistry.create("disa", PARAMS).sample(req, Models.open("builtin:gmm-tokens"), l, c);
    }

    private static SampleBatch run(long seed, long first, int n, int batch) {
        return run(SamplingRequest.conditioned(seed, first, n, batch, new int[] {-1}, 0), ProgressListener.NONE,
                CancellationToken.NONE);
    }

    @Test
    void onlyTokenSamplersRunAndTheOthersSayWhy() {
        FlowModel m = Models.open("builtin:gmm-tokens");
        List<String> runnable = SamplerRegistry.all().stream().filter(e -> e.unavailableOn(m) == null)
                .map(SamplerRegistry.Entry::id).toList();
        assertEquals(List.of("disa"), runnable);
        String why = SamplerRegistry.get("euler").unavailableOn(m);
        assertTrue(why != null && why.contains("probability-flow field"), why);
        assertThrows(FlowbenchException.class, () -> m.velocity(new double[16], 1, 0.5, null, new double[16]));
    }

    @Test
    void shapesDeterminismBatchInvarianceAndImagesAlone() {
        SampleBatch a = run(3, 0, 10, 4);
        assertArrayEquals(new int[] {16}, a.shape());
        assertEquals(10, a.count());
        assertTrue(Arrays.stream(a.samples()).allMatch(Double::isFinite));
        assertArrayEquals(a.samples(), run(3, 0, 10, 4).samples(), "same seed");
        assertArrayEquals(a.samples(), run(3, 0, 10, 10).samples(), "another batch size");
        assertArrayEquals(a.image(7), run(3, 7, 1, 1).image(0), "image 7 alone");
        assertTrue(Arrays.stream(a.samples()).anyMatch(v -> Math.abs(v) > 0.5), "tokens were sampled");
        double diff = 0;
        double[] other = run(4, 0, 10, 4).samples();
        for (int i = 0; i < other.length; i++) {
            diff = Math.max(diff, Math.abs(other[i] - a.samples()[i]));
        }
        assertTrue(diff > 0.1, "another seed gives other images");
    }

    @Test
    void costLedgerCountsBackboneAndWeightedHeadEvaluations() {
        SampleBatch b = run(1, 0, 5, 5);
        // 16 tokens, K = 8: tokens per step 1 1 1 2 3 2 3 3; T(k) linear 20 → 4: 20 17 15 13 10 8 6 4
        int[] tokens = {1, 1, 1, 2, 3, 2, 3, 3};
        int[] steps = {20, 17, 15, 13, 10, 8, 6, 4};
        long head = 0;
        for (int k = 0; k < 8; k++) {
            head += (long) tokens[k] * steps[k];
        }
        assertEquals(5L * 8, b.cost().total(CostLedger.BACKBONE));
        assertEquals(5L * head, b.cost().total(CostLedger.HEAD));
        assertEquals(List.of(20, 17, 15, 13, 10, 8, 6, 4), b.manifest().get("headSteps"));
        assertEquals(List.of(1, 1, 1, 2, 3, 2, 3, 3), b.manifest().get("tokensPerStep"));
        for (String k : RunManifest.REQUIRED) {
            assertTrue(b.manifest().entries().containsKey(k), "manifest lacks " + k);
        }
    }

    @Test
    void cancelsWithinOneHeadStep() {
        CancellationToken cancel = new CancellationToken();
        AtomicLong afterCancel = new AtomicLong(-1);
        ProgressListener l = new ProgressListener() {
            @Override
            public void progress(long done, long total, String what) {
                if (afterCancel.get() >= 0) {
                    afterCancel.incrementAndGet();
                } else if (done >= 40) {
                    cancel.cancel();
                    afterCancel.set(0);
                }
            }
        };
        assertThrows(CancellationToken.CancelledException.class,
                () -> run(SamplingRequest.conditioned(1, 0, 4, 4, new int[] {-1}, 0), l, cancel));
        assertTrue(afterCancel.get() <= 1, "head steps after cancel: " + afterCancel.get());
    }
}
