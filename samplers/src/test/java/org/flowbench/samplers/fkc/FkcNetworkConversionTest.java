package org.flowbench.samplers.fkc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.flowbench.engine.model.FlowModel;
import org.flowbench.engine.model.NoisePath;
import org.flowbench.engine.model.Parameterization;
import org.flowbench.engine.model.PredictionModel;
import org.flowbench.engine.model.analytic.GaussianMixture;
import org.flowbench.engine.model.analytic.MixtureSpec;
import org.flowbench.engine.run.CancellationToken;
import org.flowbench.engine.run.ProgressListener;
import org.flowbench.engine.run.SampleBatch;
import org.flowbench.engine.run.SamplingRequest;
import org.flowbench.samplers.SamplerRegistry;
import org.junit.jupiter.api.Test;

/**
 * FKC on a model that natively predicts ε (as networks do): its velocities and scores come from
 * {@link Parameterization}; the run must agree with the analytic mixture's own fields.
 */
public class FkcNetworkConversionTest {
    /** The mixture seen only through ε̂ (like an ε-prediction network). */
    public static final class EpsilonNet extends PredictionModel {
        final GaussianMixture m;

        public EpsilonNet(GaussianMixture m) {
            this.m = m;
        }

        @Override
        protected void predict(double[] x, int n, double t, int[] labels, double[] out) {
            m.epsilon(x, n, t, labels, out);
        }

        public String id() {
            return "eps-net";
        }

        public String hash() {
            return "eps-" + m.hash();
        }

        public int[] shape() {
            return m.shape();
        }

        public NoisePath path() {
            return m.path();
        }

        public List<String> classNames() {
            return m.classNames();
        }

        public Parameterization nativeParameterization() {
            return Parameterization.EPSILON;
        }
    }

    @Test
    void epsilonModelMatchesTheAnalyticFields() {
        for (String path : List.of("ve", "vp", "rectified-flow")) {
            GaussianMixture m = new GaussianMixture("g", new MixtureSpec(path, new double[] {0.3, 0.7},
                    new double[][] {{-2, 0}, {2, 1}}, new double[] {0.5, 0.8}, new int[] {0, 1}, null, 0.01, 10));
            FlowModel net = new EpsilonNet(m);
            int[] labels = new int[200];
            java.util.Arrays.fill(labels, 1);
            SamplingRequest req = new SamplingRequest(4, 0, 200, 200, labels, 0);
            for (Map<String, String> p : List.of(
                    Map.of("target", "anneal", "beta", "2", "steps", "60", "output", "all", "particles", "200"),
                    Map.of("target", "cfg", "guidance", "3", "steps", "60", "particles", "4"))) {
                SampleBatch a = SamplerRegistry.create("fkc", p).sample(req, m, ProgressListener.NONE,
                        CancellationToken.NONE);
                SampleBatch b = SamplerRegistry.create("fkc", p).sample(req, net, ProgressListener.NONE,
                        CancellationToken.NONE);
                // the same noise and weights equal up to rounding: the same particles survive, except where a
                // resampling uniform falls within rounding of a bin edge (rare, and then one population differs)
                int differ = 0;
                for (int i = 0; i < 200; i++) {
                    double diff = Math.abs(a.samples()[2 * i] - b.samples()[2 * i])
                            + Math.abs(a.samples()[2 * i + 1] - b.samples()[2 * i + 1]);
                    if (diff > 1e-6) {
                        differ++;
                    }
                }
                assertTrue(differ <= 6, path + " " + p + ": " + differ + " of 200 images differ");
            }
        }
    }
}
