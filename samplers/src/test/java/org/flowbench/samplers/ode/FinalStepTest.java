package org.flowbench.samplers.ode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Map;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.model.Parameterization;
import org.flowbench.engine.random.NoiseSource;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.SamplerRegistry;
import org.junit.jupiter.api.Test;

/** The last Euler–Maruyama step ends at the data and draws no noise: one step is exactly the transition's mean. */
class FinalStepTest {
    @Test
    void oneStepIsTheDriftAlone() {
        for (String ref : new String[] {"builtin:3modes", "builtin:3modes-vp", "builtin:3modes-ve"}) {
            FlowModel m = Models.open(ref);
            int n = 5;
            int d = m.dim();
            SampleBatch b = SamplerRegistry.create("euler-maruyama", Map.of("steps", "1", "grid", "uniform"))
                    .sample(SamplingRequest.of(9, n, n), m, ProgressListener.NONE, new CancellationToken());
            double t0 = m.path().tStart();
            double t1 = m.path().tEnd();
            double[] x = new double[n * d];
            for (int i = 0; i < n; i++) {
                NoiseSource.gaussian(9, i, 0, x, i * d, d);
            }
            double std = m.path().sigma(t0);
            for (int i = 0; i < x.length; i++) {
                x[i] *= std;
            }
            double[] v = new double[x.length];
            double[] s = new double[x.length];
            m.velocity(x, n, t0, null, v);
            Parameterization.convert(m.path(), t0, Parameterization.VELOCITY, Parameterization.SCORE, x, v, s,
                    x.length);
            double g2 = m.path().diffusionSquared(t0);
            double h = t1 - t0;
            double[] want = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                want[i] = x[i] + h * (v[i] + 0.5 * g2 * s[i]);
            }
            assertArrayEquals(want, b.samples(), 1e-9 * (1 + Math.abs(want[0])), ref);
        }
    }
}
