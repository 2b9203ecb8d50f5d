package org.flowbench.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.flowbench.engine.FlowbenchException;
import org.flowbench.engine.io.Json;
import org.flowbench.engine.model.analytic.GaussianMixture;
import org.flowbench.engine.model.analytic.MixtureSpec;
import org.flowbench.engine.model.analytic.Presets;
import org.flowbench.engine.random.NoiseSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class GaussianMixtureTest {
    private static GaussianMixture mixture(String path) {
        MixtureSpec s = new MixtureSpec(path, new double[] {0.2, 0.3, 0.5}, new double[][] {{-3, 0, 1}, {3, 1, -1}, {0, 3, 0.5}},
                new double[] {0.5, 0.4, 0.6}, new int[] {0, 1, 1}, null, 0.01, 10);
        return new GaussianMixture("test", s);
    }

    private static double[] points(int n, int d) {
        double[] x = new double[n * d];
        NoiseSource.gaussian(9, 0, 0, x, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            x[i] *= 2.5;
        }
        return x;
    }

    /** The score is the gradient of the log-density (central differences). */
    @ParameterizedTest
    @ValueSource(strings = {"rectified-flow", "vp", "ve"})
    void scoreIsGradientOfLogDensity(String path) {
        GaussianMixture m = mixture(path);
        int d = 3;
        int n = 20;
        double[] x = points(n, d);
        for (double t : new double[] {0.1, 0.5, 0.9}) {
            for (int label : new int[] {-1, 1}) {
                int[] labels = new int[n];
                java.util.Arrays.fill(labels, label);
                double[] s = new double[n * d];
                m.score(x, n, t, labels, s);
                double h = 1e-5;
                for (int i = 0; i < n; i++) {
                    for (int e = 0; e < d; e++) {
                        double[] xp = x.clone();
                        double[] xm = x.clone();
                        xp[i * d + e] += h;
                        xm[i * d + e] -= h;
                        double fd = (m.logDensity(xp, i * d, t, label) - m.logDensity(xm, i * d, t, label)) / (2 * h);
                        assertEquals(fd, s[i * d + e], 1e-5 * Math.max(1, Math.abs(fd)), path + " t=" + t);
                    }
                }
            }
        }
    }

    /** Continuity equation ∂p/∂t = −∇·(p v), checked by finite differences: v is the exact probability-flow velocity. */
    @ParameterizedTest
    @ValueSource(strings = {"rectified-flow", "vp", "ve"})
    void velocitySatisfiesContinuityEquation(String path) {
        GaussianMixture m = mixture(path);
        int d = 3;
        int n = 10;
        double[] x = points(n, d);
        double h = 1e-4;
        for (double t : new double[] {0.2, 0.6}) {
            for (int i = 0; i < n; i++) {
                double p = Math.exp(m.logDensity(x, i * d, t, -1));
                double dpdt = (Math.exp(m.logDensity(x, i * d, t + h, -1)) - Math.exp(m.logDensity(x, i * d, t - h, -1))) / (2 * h);
                double div = 0;
                for (int e = 0; e < d; e++) {
                    double[] xp = java.util.Arrays.copyOfRange(x, i * d, i * d + d);
                    double[] xm = xp.clone();
                    xp[e] += h;
                    xm[e] -= h;
                    double[] vp = new double[d];
                    double[] vm = new double[d];
                    m.velocity(xp, 1, t, null, vp);
                    m.velocity(xm, 1, t, null, vm);
                    double pp = Math.exp(m.logDensity(xp, 0, t, -1));
                    double pm = Math.exp(m.logDensity(xm, 0, t, -1));
                    div += (pp * vp[e] - pm * vm[e]) / (2 * h);
                }
                assertEquals(-div, dpdt, 1e-6 + 1e-4 * Math.abs(dpdt), path + " t=" + t + " p=" + p);
            }
        }
    }

    /** Rectified flow identity v = (x + (1−t)∇log p)/t and the exact conversions agree with the closed forms. */
    @Test
    void conversionsMatchClosedForms() {
        for (String path : new String[] {"rectified-flow", "vp", "ve"}) {
            GaussianMixture m = mixture(path);
            int d = 3;
            int n = 15;
            double[] x = points(n, d);
            for (double t : new double[] {0.05, 0.5, 0.95}) {
                double[] v = new double[n * d];
                double[] s = new double[n * d];
                double[] x1 = new double[n * d];
                m.velocity(x, n, t, null, v);
                m.score(x, n, t, null, s);
                m.denoise(x, n, t, null, x1);
                double[] conv = new double[n * d];
                Parameterization.convert(m.path(), t, Parameterization.VELOCITY, Parameterization.SCORE, x, v, conv, n * d);
                assertClose(s, conv, 1e-9);
                Parameterization.convert(m.path(), t, Parameterization.SCORE, Parameterization.DATA, x, s, conv, n * d);
                assertClose(x1, conv, 1e-9);
                Parameterization.convert(m.path(), t, Parameterization.DATA, Parameterization.EPSILON, x, x1, conv, n * d);
                Parameterization.convert(m.path(), t, Parameterization.EPSILON, Parameterization.VELOCITY, x, conv, conv, n * d);
                assertClose(v, conv, 1e-8);
                if (path.equals("rectified-flow")) {
                    for (int i = 0; i < n * d; i++) {
                        assertEquals(v[i], (x[i] + (1 - t) * s[i]) / t, 1e-9);
                    }
                }
            }
        }
    }

    @Test
    void rectifiedFlowVelocityIsFiniteAtBothEnds() {
        GaussianMixture m = mixture("rectified-flow");
        double[] x = points(4, 3);
        double[] v = new double[12];
        m.velocity(x, 4, 0, null, v);
        for (double e : v) {
            assertTrue(Double.isFinite(e));
        }
        // at t = 0 the velocity is E[x1] − x (all components equally responsible up to their weights)
        double[] mean = m.dataMean(-1);
        for (int e = 0; e < 3; e++) {
            assertEquals(mean[e] - x[e], v[e], 1e-12);
        }
        m.velocity(x, 4, 1, null, v);
        for (double e : v) {
            assertTrue(Double.isFinite(e));
        }
    }

    @Test
    void labelsSelectConditionalMixtures() {
        GaussianMixture m = mixture("rectified-flow");
        assertEquals(1.0, m.weight(0, 0), 1e-15);
        assertEquals(0.375, m.weight(1, 1), 1e-12);
        assertEquals(0.625, m.weight(2, 1), 1e-12);
        assertEquals(0.0, m.weight(0, 1));
        assertThrows(FlowbenchException.class, () -> m.velocity(new double[3], 1, 0.5, new int[] {5}, new double[3]));
    }

    @Test
    void specErrorsAreOneClearMessage() throws Exception {
        String[] bad = {
            "{\"type\":\"gaussian-mixture\",\"weights\":[0.5,0.4],\"means\":[[0],[1]],\"stds\":[1,1]}",
            "{\"type\":\"gaussian-mixture\",\"weights\":[0.5,0.5],\"means\":[[0],[1,2]],\"stds\":[1,1]}",
            "{\"type\":\"gaussian-mixture\",\"weights\":[0.5,0.5],\"means\":[[0],[1]],\"stds\":[1,-1]}",
            "{\"type\":\"gaussian-mixture\",\"path\":\"vx\",\"weights\":[1],\"means\":[[0]],\"stds\":[1]}",
            "{\"type\":\"mlp\",\"weights\":[1],\"means\":[[0]],\"stds\":[1]}",
            "{\"type\":\"gaussian-mixture\",\"weights\":[1],\"means\":[[0]],\"stds\":[1],\"labels\":[0,1]}",
            "{\"type\":\"gaussian-mixture\",\"weights\":\"x\",\"means\":[[0]],\"stds\":[1]}",
        };
        for (String b : bad) {
            JsonNode node = Json.MAPPER.readTree(b);
            FlowbenchException e = assertThrows(FlowbenchException.class, () -> MixtureSpec.parse(node), b);
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void specRoundTripsAndHashIsStable() {
        for (Presets.Preset p : Presets.all().values()) {
            MixtureSpec back = MixtureSpec.parse(p.spec().toJson());
            assertEquals(p.spec().hash(), back.hash(), p.name());
        }
    }

    @Test
    void exactSamplesHaveTheMixtureMoments() {
        GaussianMixture m = new GaussianMixture("3modes", Presets.get("3modes").spec());
        int n = 50_000;
        double[] x = m.sampleData(1, n, -1);
        double[] mean = m.dataMean(-1);
        double[] cov = m.dataCovariance(-1);
        for (int e = 0; e < 2; e++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += x[i * 2 + e];
            }
            assertEquals(mean[e], s / n, 4 * Math.sqrt(cov[e * 2 + e] / n));
        }
    }

    private static void assertClose(double[] a, double[] b, double tol) {
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], tol * Math.max(1, Math.abs(a[i])), "index " + i);
        }
    }
}
