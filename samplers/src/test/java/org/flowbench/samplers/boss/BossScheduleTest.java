package org.flowbench.samplers.boss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.random.NoiseSource;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.SamplerRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** §4.2.2–3: cost-matrix invariants and schedule quality on builtin:boss-toy; caching; the sampler. */
class BossScheduleTest {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BossScheduleTest.class);

    private static void printf(String format, Object... args) {
        LOG.info(String.format(java.util.Locale.ROOT, format, args).strip());
    }

    static Path cache;
    static String previous;

    @BeforeAll
    static void cacheDir() throws Exception {
        cache = Files.createTempDirectory("flowbench-cache");
        previous = System.getProperty("flowbench.cache");
        System.setProperty("flowbench.cache", cache.toString());
        BossSchedule.clearMemory();
    }

    @AfterAll
    static void restore() {
        if (previous == null) {
            System.clearProperty("flowbench.cache");
        } else {
            System.setProperty("flowbench.cache", previous);
        }
        BossSchedule.clearMemory();
    }

    @Test
    void costMatrixInvariants() {
        FlowModel m = Models.open("builtin:boss-toy");
        CostMatrix c = BossCost.compute(m, 100, 100, 0, CancellationToken.NONE);
        int violations = 0;
        for (int i = 0; i < 100; i++) {
            assertEquals(0.0, c.get(i, i + 1), "c[i][i+1] is the reference step itself");
            for (int j = i + 2; j <= 100; j++) {
                assertTrue(c.get(i, j) >= 0);
                if (c.get(i, j) < c.get(i, j - 1)) {
                    violations++;
                }
            }
        }
        assertTrue(violations <= 10, violations + " decreases in j out of 4 950 pairs");
        double prev = Double.POSITIVE_INFINITY;
        for (int k : new int[] {1, 2, 4, 8, 16}) {
            double v = BellmanDp.solve(c, k).objective();
            assertTrue(v <= prev);
            prev = v;
        }
        // the DP objectives of the reference prototype: 8.55 / 0.632 / 0.127 / 0.013 for K = 1 / 2 / 4 / 8
        assertEquals(8.55, BellmanDp.solve(c, 1).objective(), 0.9);
        assertEquals(0.632, BellmanDp.solve(c, 2).objective(), 0.15);
    }

    /** Coupled endpoint MSE E‖x_K − x_ref‖² of K-step Euler on {@code times} against a fine Euler reference. */
    static double mse(FlowModel m, double[] times, double[] x0, double[] ref, int n) {
        double[] x = x0.clone();
        double[] v = new double[x.length];
        for (int k = 0; k < times.length - 1; k++) {
            m.velocity(x, n, times[k], null, v);
            double h = times[k + 1] - times[k];
            for (int i = 0; i < x.length; i++) {
                x[i] += h * v[i];
            }
        }
        double acc = 0;
        for (int i = 0; i < x.length; i++) {
            acc += (x[i] - ref[i]) * (x[i] - ref[i]);
        }
        return acc / n;
    }

    @Test
    @Tag("slow")
    void bellmanBeatsUniformOnTheToy() {
        FlowModel m = Models.open("builtin:boss-toy");
        int n = 4000;
        double[] x0 = new double[n * 2];
        for (int i = 0; i < n; i++) {
            NoiseSource.gaussian(12345, i, 0, x0, 2 * i, 2);
        }
        double[] fine = new double[4001];
        for (int i = 0; i <= 4000; i++) {
            fine[i] = i / 4000.0;
        }
        double[] ref = x0.clone();
        double[] v = new double[ref.length];
        for (int k = 0; k < 4000; k++) {
            m.velocity(ref, n, fine[k], null, v);
            double h = fine[k + 1] - fine[k];
            for (int i = 0; i < ref.length; i++) {
                ref[i] += h * v[i];
            }
        }
        // expected (reference prototype): uniform → Bellman 8.03 → 8.03, 5.27 → 2.22, 1.35 → 0.89, 0.479 → 0.303.
        // The prototype's figure is one draw of 100 cost noises; a schedule from another draw moves the error by up to
        // about a quarter at K = 8, so the Bellman error is compared as the mean over five cost seeds, and every
        // seed's schedule must beat uniform times on its own.
        double[][] expected = {{1, 8.03, 8.03}, {2, 5.27, 2.22}, {4, 1.35, 0.89}, {8, 0.479, 0.303}};
        int seeds = 5;
        for (double[] e : expected) {
            int k = (int) e[0];
            double[] uniform = new double[k + 1];
            for (int i = 0; i <= k; i++) {
                uniform[i] = (double) i / k;
            }
            double mu = mse(m, uniform, x0, ref, n);
            assertEquals(e[1], mu, 0.15 * e[1], "uniform MSE at K = " + k);
            double mean = 0;
            double secondTime = 0;
            for (int seed = 0; seed < seeds; seed++) {
                BossSchedule s = BossSchedule.get(m, k, 100, 100, seed, CancellationToken.NONE);
                double mb = mse(m, s.times(), x0, ref, n);
                printf("K=%d cost seed %d: uniform %.3f Bellman %.3f times %s objective %.4f%n", k, seed, mu, mb,
                        java.util.Arrays.toString(s.times()), s.objective());
                if (k == 1) {
                    assertArrayEquals(uniform, s.times());
                    assertEquals(mu, mb);
                } else {
                    assertTrue(mb < mu / 1.3, "Bellman " + mb + " vs uniform " + mu + " at K = " + k + ", seed " + seed);
                }
                mean += mb / seeds;
                secondTime += s.times()[1] / seeds;
            }
            assertEquals(e[2], mean, 0.2 * e[2], "Bellman MSE at K = " + k + " (mean over " + seeds + " cost seeds)");
            if (k == 2) {
                assertEquals(0.35, secondTime, 0.05, "the K = 2 Bellman time (mean over cost seeds)");
            }
        }
    }

    @Test
    void scheduleIsCachedOnDiskAndReused() throws Exception {
        FlowModel m = Models.open("builtin:3modes");
        BossSchedule first = BossSchedule.get(m, 3, 20, 30, 5, CancellationToken.NONE);
        assertFalse(first.fromCache());
        Path f = BossSchedule.file(m.hash(), 3, 20, 30, 5);
        assertTrue(Files.isRegularFile(f), f.toString());
        BossSchedule.clearMemory();
        BossSchedule again = BossSchedule.get(m, 3, 20, 30, 5, CancellationToken.NONE);
        assertTrue(again.fromCache());
        assertArrayEquals(first.times(), again.times());
        assertArrayEquals(first.indices(), again.indices());
        assertEquals(first.objective(), again.objective());
        assertEquals(4, first.times().length);
        assertEquals(0.0, first.times()[0]);
        assertEquals(1.0, first.times()[3]);
    }

    @Test
    void samplerUsesTheScheduleAndCountsNfe() {
        FlowModel m = Models.open("builtin:boss-toy");
        SamplingRequest req = new SamplingRequest(1, 0, 10, 4, null, 2);
        int[] previews = {0};
        ProgressListener l = new ProgressListener() {
            @Override
            public void preview(long firstImage, int count, int step, double[] x1Hat) {
                previews[0]++;
            }
        };
        SampleBatch e = SamplerRegistry.create("boss", Map.of("steps", "4")).sample(req, m, l,
                CancellationToken.NONE);
        SampleBatch h = SamplerRegistry.create("boss", Map.of("steps", "4", "solver", "heun")).sample(req, m,
                ProgressListener.NONE, CancellationToken.NONE);
        for (int i = 0; i < 10; i++) {
            assertEquals(4, e.nfe()[i]);
            assertEquals(8, h.nfe()[i]);
        }
        assertEquals(3 * 2, previews[0]); // 3 batches × steps 2 and 4
        List<?> times = (List<?>) e.manifest().get("times");
        assertEquals(5, times.size());
        assertTrue(e.manifest().get("dpObjective") instanceof Double);
        // Euler on the same times as the euler sampler's list grid gives the same samples
        String list = String.join(",", times.stream().map(Object::toString).toList());
        SampleBatch ref = SamplerRegistry.create("euler", Map.of("steps", "4", "grid", "list", "times", list))
                .sample(req, m, ProgressListener.NONE, CancellationToken.NONE);
        assertArrayEquals(ref.samples(), e.samples());
    }
}
