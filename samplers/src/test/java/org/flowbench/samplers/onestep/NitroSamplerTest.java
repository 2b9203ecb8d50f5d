package org.flowbench.samplers.onestep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.metrics.Frechet;
import org.flowbench.engine.metrics.GaussianStats;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.analytic.GaussianMixture;
import org.flowbench.engine.model.analytic.MixtureSpec;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.SamplerRegistry;
import org.junit.jupiter.api.Test;

/**
 * NitroFusion's bottom-up sampler against the method reference §6.4 N1: the timestep table of §4.3 (with floor
 * truncation), the SDXL ᾱ values, re-noising to the original next level, no noise on the last step, a second step
 * that changes the result, and the FD of 8 unit-circle modes (s = 0.1) on the VP path for 1–4 steps with and
 * without the shift, within 10 % of the reference prototype's values.
 */
class NitroSamplerTest {
    @Test
    void timestepTableAndSchedule() {
        assertArrayEquals(new int[] {999}, NitroSampler.levels(1, 4));
        assertArrayEquals(new int[] {999, 499}, NitroSampler.levels(2, 4));
        assertArrayEquals(new int[] {999, 749, 499}, NitroSampler.levels(3, 4));
        assertArrayEquals(new int[] {999, 749, 499, 249}, NitroSampler.levels(4, 4));
        int[][] realism = {{249}, {249, 124}, {249, 187, 124}, {249, 187, 124, 62}};
        int[][] vibrant = {{499}, {499, 249}, {499, 374, 249}, {499, 374, 249, 124}};
        for (int n = 1; n <= 4; n++) {
            int[] taus = NitroSampler.levels(n, 4);
            for (int i = 0; i < n; i++) {
                assertEquals(realism[n - 1][i], NitroSampler.shifted(taus[i], 250), "Realism, N = " + n);
                assertEquals(vibrant[n - 1][i], NitroSampler.shifted(taus[i], 500), "Vibrant, N = " + n);
            }
        }
        double[] ab = NitroSampler.sdxlAlphaBar();
        int[] at = {999, 749, 499, 374, 249, 187, 124, 62};
        double[] want = {0.004660, 0.056623, 0.277670, 0.466710, 0.675432, 0.773606, 0.863408, 0.938687};
        for (int i = 0; i < at.length; i++) {
            assertEquals(want[i], ab[at[i]], 5e-7, "alpha-bar at " + at[i]);
        }
        double[] b = NitroSampler.boundary(249);
        assertEquals(0.25 / (2490.0 * 2490.0 + 0.25), b[0], 1e-15);
        assertTrue(b[1] > 0.99999);
        assertThrows(FlowbenchException.class, () -> SamplerRegistry.create("nitro", Map.of("steps", "5")));
    }

    /** Eight equal modes on the unit circle, s = 0.1, on the VP path (the reference's N1 data). */
    static FlowModel ring() {
        double[][] means = new double[8][];
        double[] w = new double[8];
        double[] s = new double[8];
        for (int k = 0; k < 8; k++) {
            means[k] = new double[] {Math.cos(2 * Math.PI * k / 8), Math.sin(2 * Math.PI * k / 8)};
            w[k] = 1.0 / 8;
            s[k] = 0.1;
        }
        return new GaussianMixture("unit-ring-vp", MixtureSpec.of("vp", w, means, s));
    }

    private static SampleBatch sample(FlowModel m, int steps, int shift, int n) {
        return SamplerRegistry.create("nitro", Map.of("steps", Integer.toString(steps), "shift",
                Integer.toString(shift))).sample(SamplingRequest.of(11, n, 5000), m, ProgressListener.NONE,
                new CancellationToken());
    }

    private static double fd(SampleBatch b) {
        GaussianStats g = new GaussianStats(2);
        g.addBatch(b.samples(), b.count());
        // the mixture's exact moments: mean 0, covariance (½ + s²)·I
        return Frechet.distance(g.mean(), g.covariance(), new double[2], new double[] {0.51, 0, 0, 0.51}, 2);
    }

    @Test
    void n1FrechetDistancesOfTheReference() {
        FlowModel m = ring();
        int n = 60000;
        double[] shift250 = {0.052, 0.0090, 0.0087, 0.0024};
        double[] noShift = {0.923, 0.391, 0.391, 0.128};
        for (int steps = 1; steps <= 4; steps++) {
            SampleBatch b = sample(m, steps, 250, n);
            double got = fd(b);
            // sampling error of FD at N = 60 000 in 2-D is about 1e-4: 10 % of the reference values, 0.0024 included
            assertEquals(shift250[steps - 1], got, 0.1 * shift250[steps - 1] + 1e-4, "shift 250, N = " + steps);
            assertEquals(steps, b.nfe()[0]);
            double plain = fd(sample(m, steps, 1000, n));
            assertEquals(noShift[steps - 1], plain, 0.1 * noShift[steps - 1], "no shift, N = " + steps);
        }
    }

    @Test
    void theSecondStepChangesTheResultAndTheLastAddsNoNoise() {
        FlowModel m = ring();
        SampleBatch one = sample(m, 1, 250, 200);
        SampleBatch two = sample(m, 2, 250, 200);
        double diff = 0;
        for (int i = 0; i < one.samples().length; i++) {
            diff = Math.max(diff, Math.abs(one.samples()[i] - two.samples()[i]));
        }
        assertTrue(diff > 0.05, "step 2 must refine, not repeat step 1 (max change " + diff + ")");
        // N = 1 is deterministic in the initial noise: d = c_out·x̂0 + c_skip·x, nothing drawn after
        SampleBatch again = SamplerRegistry.create("nitro", Map.of("steps", "1")).sample(
                SamplingRequest.of(11, 200, 7), m, ProgressListener.NONE, new CancellationToken());
        assertArrayEquals(one.samples(), again.samples(), 1e-12);
    }

    @Test
    void reNoisingUsesTheOriginalNextLevel() {
        // with a model whose clean-image prediction is exactly 0 (one mode at the origin, s → 0), step 1 gives
        // d = c_skip·x ≈ 0, and step 2's input is √(1 − ᾱ_499)·ε: the state the model sees has that spread
        double[][] means = {{0, 0}};
        FlowModel point = new GaussianMixture("point", MixtureSpec.of("vp", new double[] {1}, means,
                new double[] {1e-6}));
        double[] seen = new double[1];
        FlowModel spy = new org.flowbench.samplers.CountingModel(point) {
            int calls;

            @Override
            public void velocity(double[] x, int n, double t, int[] labels, double[] out) {
                if (++calls == 2) {
                    double s = 0;
                    for (double v : x) {
                        s += v * v;
                    }
                    seen[0] = Math.sqrt(s / x.length);
                }
                super.velocity(x, n, t, labels, out);
            }
        };
        SamplerRegistry.create("nitro", Map.of("steps", "2")).sample(SamplingRequest.of(3, 20000, 20000), spy,
                ProgressListener.NONE, new CancellationToken());
        double[] ab = NitroSampler.sdxlAlphaBar();
        // the model sees the level-499 state read at the shifted level 124 (c = α(t)/α_124 = 1 on a VP path)
        assertEquals(Math.sqrt(1 - ab[499]), seen[0], 0.01);
    }
}
