package org.flowbench.samplers.ode;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.Models;
import org.flowbench.engine.model.NoisePath;
import org.flowbench.engine.model.Parameterization;
import org.flowbench.engine.model.Paths;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.Sampler;
import org.flowbench.samplers.SamplerRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Figures for docs/benchmarks.md: Euler particle-steps per second on an analytic 2-D mixture, and the per-step
 * overhead of the sampler loop around a field of network size (64 × 784) measured against calling the field alone.
 * Run with {@code mvn -pl samplers -am test -Dflowbench.excludedGroups= -Dgroups=bench -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("bench")
class SamplerBenchmarkTest {
    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    @Test
    void eulerParticleStepsPerSecond() {
        FlowModel m = Models.open("builtin:3modes");
        Sampler euler = SamplerRegistry.create("euler", Map.of("steps", "100"));
        int n = 200_000;
        double[] rates = new double[7];
        for (int r = -3; r < rates.length; r++) {
            long t0 = System.nanoTime();
            euler.sample(SamplingRequest.of(r, n, 50_000), m, ProgressListener.NONE, new CancellationToken());
            double s = (System.nanoTime() - t0) / 1e9;
            if (r >= 0) {
                rates[r] = n * 100 / s;
            }
        }
        System.out.printf("BENCH euler 3modes: %.1f M particle-steps/s (median of 7, n=%d, 100 steps, %d cores)%n",
                median(rates) / 1e6, n, Runtime.getRuntime().availableProcessors());
    }

    /** A field with the shape of the built-in image network whose own cost is a fixed, cheap affine map. */
    static final class WideField implements FlowModel {
        public void velocity(double[] x, int n, double t, int[] labels, double[] out) {
            for (int i = 0; i < n * 784; i++) {
                out[i] = -x[i] * 0.5 + t;
            }
        }

        public void score(double[] x, int n, double t, int[] labels, double[] out) {
            velocity(x, n, t, labels, out);
        }

        public void denoise(double[] x, int n, double t, int[] labels, double[] out) {
            velocity(x, n, t, labels, out);
        }

        public String id() {
            return "wide";
        }

        public String hash() {
            return "0";
        }

        public int[] shape() {
            return new int[] {1, 28, 28};
        }

        public NoisePath path() {
            return Paths.RECTIFIED_FLOW;
        }

        public List<String> classNames() {
            return List.of();
        }

        public Parameterization nativeParameterization() {
            return Parameterization.VELOCITY;
        }
    }

    @Test
    void loopOverheadAroundANetworkSizedField() {
        WideField f = new WideField();
        int batch = 64;
        int steps = 200;
        double[] x = new double[batch * 784];
        double[] out = new double[x.length];
        double[] bare = new double[9];
        double[] loop = new double[9];
        Sampler euler = SamplerRegistry.create("euler", Map.of("steps", "" + steps));
        Sampler one = SamplerRegistry.create("euler", Map.of("steps", "1"));
        for (int r = -3; r < bare.length; r++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < steps; k++) {
                f.velocity(x, batch, k / (double) steps, null, out);
            }
            long t1 = System.nanoTime();
            euler.sample(SamplingRequest.of(1, batch, batch).withPreviewEvery(10), f, ProgressListener.NONE,
                    new CancellationToken());
            long t2 = System.nanoTime();
            // the fixed per-run cost (initial noise, manifest) is measured with a 1-step run and taken out
            one.sample(SamplingRequest.of(1, batch, batch), f, ProgressListener.NONE, new CancellationToken());
            long t3 = System.nanoTime();
            if (r >= 0) {
                bare[r] = (t1 - t0) / 1e3 / steps;
                loop[r] = ((t2 - t1) - (t3 - t2)) / 1e3 / (steps - 1);
            }
        }
        double b = median(bare);
        double l = median(loop);
        System.out.printf("BENCH loop overhead (64x784, Euler, previews every 10): field alone %.1f us/step, in sampler %.1f us/step,"
                + " overhead %.1f us/step (ratio %.2f)%n", b, l, l - b, l / b);
    }
}
