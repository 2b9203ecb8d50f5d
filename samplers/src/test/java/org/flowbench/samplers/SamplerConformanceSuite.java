package org.flowbench.samplers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.CostLedger;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.RunManifest;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance suite every registered sampler must pass on every model kind it accepts, with default parameters
 * (fewer steps or iterations where it has a 'steps' or 'iterations' parameter): shapes, determinism, batch invariance, any image re-made alone,
 * an exact cost ledger (plain and under guidance), cancel within one step, previews that cost no evaluations, and a
 * complete manifest. A model kind is a subclass: a factory for the model, the labels its requests carry, and
 * opt-outs with a reason (as EJML's generic tests).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SamplerConformanceSuite {
    static final int N = 12;

    /** A fresh model of this kind (closed by the caller where it matters). */
    abstract FlowModel model();

    /** The class label of request image i, or −1. */
    int label(int i) {
        return -1;
    }

    /** Samplers this kind opts out of, each with its reason; empty by default. */
    Map<String, String> optOuts() {
        return Map.of();
    }

    /** Every registered sampler that accepts this model kind and is not opted out. */
    Stream<String> samplers() {
        FlowModel m = model();
        return SamplerRegistry.all().stream().filter(e -> e.unavailableOn(m) == null)
                .map(SamplerRegistry.Entry::id).filter(id -> !optOuts().containsKey(id));
    }

    /**
     * Images {@code first ..} of a run whose conditioning is {@link #label} (declared as a cycle over absolute
     * indices, so that an image re-made alone belongs to the same run; labels must repeat within 120 images).
     */
    SamplingRequest request(long seed, long first, int n, int batch) {
        int[] cycle = new int[120];
        for (int i = 0; i < cycle.length; i++) {
            cycle[i] = label(i);
        }
        return SamplingRequest.conditioned(seed, first, n, batch, cycle, 0);
    }

    /**
     * How far images computed in batches of different sizes may differ, relative: 0 (bit for bit) for models computed
     * in Java; float32 networks agree to float32 rounding only, since vectorised kernels round a batch of 4 states
     * differently from one of 32 (the same request and batch is still reproducible bit for bit).
     */
    double acrossBatchTolerance() {
        return 0;
    }

    void assertSameImages(double[] want, double[] got, String what) {
        double tol = acrossBatchTolerance();
        if (tol == 0) {
            assertArrayEquals(want, got, what);
            return;
        }
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tol * (1 + Math.abs(want[i])), what + " at " + i);
        }
    }

    SamplingRequest request(long seed, int n, int batch) {
        return request(seed, 0, n, batch);
    }

    private static Sampler create(String id) {
        SamplerRegistry.Entry e = SamplerRegistry.get(id);
        Map<String, String> p = new java.util.HashMap<>();
        if (e.params().stream().anyMatch(s -> s.name().equals("steps"))) {
            p.put("steps", "6");
        }
        if (e.params().stream().anyMatch(s -> s.name().equals("origin-steps"))) {
            p.put("origin-steps", "6"); // nitro: its grid of levels must have at least 'steps' of them
        }
        if (e.params().stream().anyMatch(s -> s.name().equals("iterations"))) {
            p.put("iterations", "5"); // ReNO: 5 evaluations, 4 noise updates
        }
        return e.create(p);
    }

    private static SampleBatch run(String id, FlowModel model, SamplingRequest req) {
        return create(id).sample(req, model, ProgressListener.NONE, new CancellationToken());
    }

    @ParameterizedTest
    @MethodSource("samplers")
    void shapesAndFiniteValues(String id) {
        FlowModel m = model();
        SampleBatch b = run(id, m, request(1, N, 5));
        assertEquals(N, b.count());
        assertArrayEquals(m.shape(), b.shape());
        assertEquals(N * m.dim(), b.samples().length);
        for (double v : b.samples()) {
            assertTrue(Double.isFinite(v), id + " produced a non-finite value");
        }
        for (long nfe : b.nfe()) {
            assertTrue(nfe > 0, id + " reported zero NFE");
        }
    }

    @ParameterizedTest
    @MethodSource("samplers")
    void deterministicForASeed(String id) {
        FlowModel m = model();
        SampleBatch a = run(id, m, request(3, N, 4));
        SampleBatch b = run(id, m, request(3, N, 4));
        assertArrayEquals(a.samples(), b.samples());
        assertArrayEquals(a.nfe(), b.nfe());
        SampleBatch c = run(id, m, request(4, N, 4));
        assertTrue(!java.util.Arrays.equals(a.samples(), c.samples()), "another seed must give other samples");
    }

    @ParameterizedTest
    @MethodSource("samplers")
    void batchInvariant(String id) {
        FlowModel m = model();
        SampleBatch all = run(id, m, request(5, N, N));
        for (int batch : new int[] {1, 5}) {
            SampleBatch b = run(id, m, request(5, N, batch));
            assertSameImages(all.samples(), b.samples(), id + " batch " + batch);
            assertArrayEquals(all.nfe(), b.nfe(), id + " batch " + batch);
        }
    }

    @ParameterizedTest
    @MethodSource("samplers")
    void anyImageCanBeRemadeAlone(String id) {
        FlowModel m = model();
        SampleBatch all = run(id, m, request(6, N, 4));
        int i = 7;
        SampleBatch one = run(id, m, request(6, i, 1, 1));
        assertSameImages(all.image(i), one.image(0), id + " image " + i + " alone");
    }

    @ParameterizedTest
    @MethodSource("samplers")
    void reportsExactNfe(String id) {
        CountingModel m = new CountingModel(model());
        SampleBatch b = run(id, m, request(2, N, 5));
        assertEquals(m.states.get(), b.totalNfe(), id + ": reported NFE must equal the evaluated states");
        if (id.equals("fkc")) {
            // defaults: 8 particles per image, 6 steps here; every particle evaluates every expert once per step
            assertEquals(8L * N, b.cost().total(CostLedger.PARTICLES));
            // default target cfg (w = 2): a prompted image has two experts (its class and the null class), others one
            for (int i = 0; i < N; i++) {
                assertEquals(8L * 6 * (label(i) >= 0 ? 2 : 1), b.nfe()[i], "image " + i + ": particles × steps × experts");
            }
        }
    }

    /** Under classifier-free guidance every state costs two network evaluations and one guided evaluation. */
    @ParameterizedTest
    @MethodSource("samplers")
    void costLedgerCountsTheNetworkCallsOfAGuidedModel(String id) {
        CountingModel counted = new CountingModel(model());
        FlowModel guided = new org.flowbench.engine.model.pkg.GuidedModel(counted, 2);
        SampleBatch b = run(id, guided, request(2, N, 5));
        // a one-time preparation (BOSS's cost matrix) is recorded in the manifest, not charged to any image
        Object prep = b.manifest().get("scheduleNfe");
        long images = counted.states.get() - (prep == null ? 0 : ((Number) prep).longValue());
        assertEquals(images, b.cost().total(CostLedger.NETWORK), id + ": network evaluations");
        assertEquals(images / 2, b.cost().total(CostLedger.GUIDED), id + ": guided evaluations");
        @SuppressWarnings("unchecked")
        Map<String, Object> cost = (Map<String, Object>) b.manifest().get("cost");
        assertEquals(images / (double) N, ((Number) cost.get(CostLedger.NETWORK)).doubleValue(), 1e-9);
    }

    @ParameterizedTest
    @MethodSource("samplers")
    void previewsCostNoEvaluations(String id) {
        CountingModel plain = new CountingModel(model());
        SampleBatch a = run(id, plain, request(2, N, 6));
        CountingModel withPreviews = new CountingModel(model());
        int dim = withPreviews.dim();
        AtomicInteger previews = new AtomicInteger();
        List<Integer> counts = new ArrayList<>();
        SampleBatch b = create(id).sample(request(2, N, 6).withPreviewEvery(1), withPreviews,
                new ProgressListener() {
                    @Override
                    public void preview(long firstImage, int count, int step, double[] x1Hat) {
                        previews.incrementAndGet();
                        counts.add(count);
                        assertEquals((long) count * dim, x1Hat.length);
                    }
                }, new CancellationToken());
        assertTrue(previews.get() > 0, id + " emitted no previews");
        assertEquals(plain.states.get(), withPreviews.states.get(), id + ": previews must not evaluate the model");
        assertArrayEquals(a.samples(), b.samples());
    }

    @ParameterizedTest
    @MethodSource("samplers")
    void cancelsWithinOneStep(String id) {
        CountingModel m = new CountingModel(model());
        CancellationToken token = new CancellationToken();
        AtomicLong callsAtCancel = new AtomicLong(-1);
        ProgressListener cancelOnFirstStep = new ProgressListener() {
            @Override
            public void progress(long done, long total, String what) {
                if (callsAtCancel.get() < 0) {
                    callsAtCancel.set(m.calls.get());
                    token.cancel();
                }
            }
        };
        assertThrows(CancellationToken.CancelledException.class,
                () -> create(id).sample(request(2, N, N), m, cancelOnFirstStep, token));
        assertTrue(callsAtCancel.get() >= 0, id + " reported no progress");
        assertTrue(m.calls.get() - callsAtCancel.get() <= 0,
                id + " evaluated the model " + (m.calls.get() - callsAtCancel.get()) + " more times after cancel");
    }

    @ParameterizedTest
    @MethodSource("samplers")
    void manifestIsComplete(String id) {
        FlowModel m = model();
        Sampler s = create(id);
        SampleBatch b = s.sample(request(2, 3, 3), m, ProgressListener.NONE, new CancellationToken());
        RunManifest man = b.manifest();
        for (String key : RunManifest.REQUIRED) {
            assertTrue(man.entries().containsKey(key), id + " manifest lacks " + key);
        }
        assertEquals(id, man.get("sampler"));
        assertEquals(m.hash(), man.get("modelHash"));
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) man.get("params");
        for (ParamSpec p : SamplerRegistry.get(id).params()) {
            assertTrue(params.containsKey(p.name()), id + " manifest lacks parameter " + p.name());
        }
        // the manifest's parameters rebuild the same sampler
        Map<String, String> text = Configs.toText(s.config());
        assertEquals(s.config(), SamplerRegistry.get(id).create(text).config());
    }
}
