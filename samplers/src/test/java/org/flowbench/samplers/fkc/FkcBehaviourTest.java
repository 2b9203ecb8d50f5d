package org.flowbench.samplers.fkc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.model.NoisePath;
import org.flowbench.engine.model.analytic.GaussianMixture;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.Configs;
import org.flowbench.samplers.SamplerRegistry;
import org.junit.jupiter.api.Test;

/** Identity, accumulation, centring/clamping, batch invariance, NFE, cancel, previews. */
class FkcBehaviourTest {
    static SampleBatch sample(String id, Map<String, String> p, FlowModel m, SamplingRequest req) {
        return SamplerRegistry.create(id, p).sample(req, m, ProgressListener.NONE, CancellationToken.NONE);
    }

    @Test
    void betaOneAndGuidanceOneAreBitIdenticalToThePlainSde() {
        for (String ref : List.of("builtin:3modes-ve", "builtin:3modes", "builtin:3modes-vp")) {
            FlowModel m = Models.open(ref);
            SamplingRequest req = new SamplingRequest(7, 3, 40, 40, null, 0);
            double[] em = sample("euler-maruyama", Map.of("steps", "50", "grid", "uniform"), m, req).samples();
            double[] fkc = sample("fkc", Map.of("steps", "50", "grid", "uniform", "target", "anneal", "beta", "1",
                    "output", "all", "particles", "40"), m, new SamplingRequest(7, 3, 40, 13, null, 0)).samples();
            assertArrayEquals(em, fkc, ref);
        }
        FlowModel m = Models.open("builtin:2modes");
        int[] labels = new int[30];
        Arrays.fill(labels, 1);
        SamplingRequest req = new SamplingRequest(5, 0, 30, 30, labels, 0);
        double[] em = sample("euler-maruyama", Map.of("steps", "40", "grid", "edm"), m, req).samples();
        SampleBatch fkc = sample("fkc", Map.of("steps", "40", "grid", "edm", "target", "cfg", "guidance", "1",
                "output", "all", "particles", "30"), m, req);
        assertArrayEquals(em, fkc.samples());
        assertEquals(40, fkc.nfe()[0]);
    }

    /** With ESS-adaptive resampling, log-weights accumulate the exact increments ½g²h·β(β−1)‖s‖² between events. */
    @Test
    void adaptiveWeightsAccumulateExactIncrementsBetweenEvents() {
        GaussianMixture m = FkcTestSupport.ve1d("acc", new double[] {0.5, 0.5}, new double[] {-2, 2},
                new double[] {0.3, 1.0}, null);
        double beta = 2;
        int n = 500;
        FkcSampler s = new FkcSampler(Configs.bind(FkcSampler.Config.class, Map.of("target", "anneal", "beta", "2",
                "steps", "60", "output", "all", "particles", Integer.toString(n), "ess-threshold", "0.5")));
        double[] t = s.grid(m);
        NoisePath path = m.path();
        List<double[]> xs = new ArrayList<>();
        List<double[]> ws = new ArrayList<>();
        s.sample(new SamplingRequest(1, 0, n, n, null, 0), m, ProgressListener.NONE, CancellationToken.NONE,
                (step, time, x, logw, ps, sz) -> {
                    xs.add(x.clone());
                    ws.add(logw.clone());
                });
        int accumulated = 0;
        int events = 0;
        for (int k = 1; k < t.length - 2; k++) {
            double[] prevX = xs.get(k - 1);
            double[] prevW = ws.get(k - 1);
            double[] w = ws.get(k);
            boolean reset = Arrays.stream(w).allMatch(v -> v == 0);
            if (reset) {
                events++;
                continue;
            }
            double[] sc = new double[n];
            m.score(prevX, n, t[k], null, sc);
            double coef = 0.5 * path.diffusionSquared(t[k]) * (t[k + 1] - t[k]) * beta * (beta - 1);
            for (int i = 0; i < n; i++) {
                assertEquals(prevW[i] + coef * sc[i] * sc[i], w[i], 1e-9 * (1 + Math.abs(w[i])), "step " + k);
            }
            accumulated++;
        }
        assertTrue(events >= 1 && accumulated >= 10, events + " events, " + accumulated + " accumulating steps");
    }

    @Test
    void centringChangesNothingAndClampingDoes() {
        GaussianMixture m = FkcTestSupport.ve1d("c", new double[] {0.5, 0.5}, new double[] {-2, 2},
                new double[] {0.3, 1.0}, null);
        Map<String, String> p = new HashMap<>(Map.of("target", "anneal", "beta", "2", "steps", "100", "output", "all",
                "particles", "2000", "init", "exact"));
        SamplingRequest req = new SamplingRequest(3, 0, 2000, 2000, null, 0);
        double[] plain = sample("fkc", p, m, req).samples();
        p.put("center", "true");
        double[] centred = sample("fkc", p, m, req).samples();
        assertArrayEquals(plain, centred, 1e-9);
        p.put("clamp", "0.001");
        double[] clamped = sample("fkc", p, m, req).samples();
        FkcTestSupport.Truth truth = new FkcTestSupport.Truth(x -> beta2(m, x));
        assertTrue(truth.w1(clamped) > 3 * truth.w1(plain), "clamping biases: " + truth.w1(clamped) + " vs "
                + truth.w1(plain));
    }

    private static double beta2(GaussianMixture m, double x) {
        return 2 * m.dataLogDensity(new double[] {x}, 0, -1);
    }

    @Test
    void perImagePopulationsAreBatchInvariantDeterministicAndCounted() {
        FlowModel m = Models.open("builtin:3modes");
        Map<String, String> p = Map.of("target", "anneal", "beta", "2", "steps", "20", "particles", "8");
        SampleBatch a = sample("fkc", p, m, new SamplingRequest(9, 0, 6, 16, null, 0));
        SampleBatch b = sample("fkc", p, m, new SamplingRequest(9, 0, 6, 1000, null, 0));
        SampleBatch c = sample("fkc", p, m, new SamplingRequest(9, 2, 3, 8, null, 0));
        SampleBatch again = sample("fkc", p, m, new SamplingRequest(9, 0, 6, 16, null, 0));
        assertArrayEquals(a.samples(), b.samples());
        assertArrayEquals(a.samples(), again.samples());
        assertArrayEquals(Arrays.copyOfRange(a.samples(), 4, 10), c.samples());
        for (long v : a.nfe()) {
            assertEquals(8 * 20, v);
        }
        assertNotNull(a.manifest().get("essFraction"));
        assertEquals(20, ((List<?>) a.manifest().get("uniqueAncestorFraction")).size());
        assertNotNull(a.manifest().get("incrementVariance"));
        // best-weight and CFG with labels: 2 experts per step
        FlowModel lab = Models.open("builtin:2modes");
        int[] labels = {0, 1, 1};
        SampleBatch cfg = sample("fkc", Map.of("steps", "10", "particles", "4", "output", "best-weight"), lab,
                new SamplingRequest(1, 0, 3, 3, labels, 0));
        assertEquals(4 * 10 * 2, cfg.nfe()[1]);
        assertTrue(cfg.samples()[2] > 0 && cfg.samples()[0] < 0, Arrays.toString(cfg.samples()));
    }

    @Test
    void cancelsWithinOneStepAndPreviews() {
        FlowModel m = Models.open("builtin:3modes");
        CancellationToken cancel = new CancellationToken();
        int[] previews = {0};
        int[] progress = {0};
        ProgressListener l = new ProgressListener() {
            @Override
            public void progress(long done, long total, String what) {
                progress[0]++;
                if (progress[0] == 3) {
                    cancel.cancel();
                }
            }

            @Override
            public void preview(long firstImage, int count, int step, double[] x1Hat) {
                previews[0]++;
                assertEquals(count * 2, x1Hat.length);
            }
        };
        var s = SamplerRegistry.create("fkc", Map.of("steps", "50"));
        assertThrows(CancellationToken.CancelledException.class,
                () -> s.sample(new SamplingRequest(1, 0, 4, 4, null, 1), m, l, cancel));
        assertEquals(3, progress[0]);
        assertEquals(3, previews[0]);
        assertFalse(SamplerRegistry.ids().indexOf("fkc") < 0);
    }
}
