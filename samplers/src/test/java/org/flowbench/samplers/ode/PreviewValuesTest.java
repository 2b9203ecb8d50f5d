package org.flowbench.samplers.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.random.NoiseSource;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.SamplerRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A preview at step k is the model's x̂1 at the state where step k started (computed from the velocity already
 * evaluated there), checked against a hand-written Euler loop on the exact 3-mode mixture.
 */
class PreviewValuesTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void eulerPreviewsAreTheDenoisedStartOfTheirStep(int every) {
        FlowModel m = Models.open("builtin:3modes");
        int n = 5;
        int d = m.dim();
        int steps = 6;
        List<double[]> previews = new ArrayList<>();
        List<Integer> previewSteps = new ArrayList<>();
        SamplerRegistry.create("euler", Map.of("steps", String.valueOf(steps))).sample(
                SamplingRequest.of(4, n, n).withPreviewEvery(every), m, new ProgressListener() {
                    @Override
                    public void preview(long firstImage, int count, int step, double[] x1Hat) {
                        previews.add(x1Hat.clone());
                        previewSteps.add(step);
                    }
                }, CancellationToken.NONE);
        // the same Euler steps by hand, from the same noises (uniform grid from the path's start)
        double t0 = m.path().tStart();
        double t1 = m.path().tEnd();
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) {
            NoiseSource.gaussian(4, i, 0, x, i * d, d);
        }
        double sigma = m.path().sigma(t0);
        for (int i = 0; i < x.length; i++) {
            x[i] *= sigma;
        }
        double[] v = new double[x.length];
        int seen = 0;
        for (int k = 1; k <= steps; k++) {
            double t = t0 + (t1 - t0) * (k - 1) / steps;
            double h = (t1 - t0) / steps;
            if (k % every == 0) {
                double[] expected = new double[x.length];
                m.denoise(x, n, t, null, expected);
                assertEquals(k, previewSteps.get(seen));
                double[] got = previews.get(seen++);
                for (int i = 0; i < x.length; i++) {
                    assertEquals(expected[i], got[i], 1e-9, "step " + k + " value " + i);
                }
            }
            m.velocity(x, n, t, null, v);
            for (int i = 0; i < x.length; i++) {
                x[i] += h * v[i];
            }
        }
        assertEquals(steps / every, seen);
    }
}
