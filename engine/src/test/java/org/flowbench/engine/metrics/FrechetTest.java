package org.flowbench.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.flowbench.engine.FlowbenchException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Known-answer tests F1–F9 of method reference §6.1, on both backends. */
class FrechetTest {
    /** A backend and whether the reference may use its Cholesky factor (else the §5.4 symmetric root). */
    record Mode(Linalg linalg, boolean cholesky) {
        @Override
        public String toString() {
            return linalg.name() + (cholesky ? "/cholesky-or-root" : "/symmetric-root");
        }
    }

    static java.util.stream.Stream<Mode> backends() {
        return Backends.all().flatMap(l -> java.util.stream.Stream.of(new Mode(l, true), new Mode(l, false)));
    }

    static double fdist(double[] m1, double[] c1, double[] m2, double[] c2, int d, Mode m) {
        return new Frechet.Reference(m1, c1, d, m.linalg(), m.cholesky()).distanceTo(m2, c2);
    }

    static double fdist(GaussianStats a, GaussianStats b, Mode m) {
        Frechet.requireSameDim(a.dim(), b.dim());
        return new Frechet.Reference(a.mean(), a.covariance(), a.dim(), m.linalg(), m.cholesky()).distanceTo(b);
    }

    private static double[] diag(double... v) {
        int d = v.length;
        double[] m = new double[d * d];
        for (int i = 0; i < d; i++) {
            m[i * d + i] = v[i];
        }
        return m;
    }

    private static void assertRel(double expected, double actual, double rel) {
        assertTrue(Math.abs(expected - actual) <= rel * Math.max(1e-300, Math.abs(expected)),
                "expected " + expected + " got " + actual + " (rel err " + Math.abs(expected - actual) / Math.abs(expected) + ")");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void f1OneDimensional(Mode la) {
        assertEquals(2.0, fdist(new double[] {0}, new double[] {1}, new double[] {1}, new double[] {4}, 1, la), 1e-12);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void f2Diagonal(Mode la) {
        assertEquals(4.0, fdist(new double[] {0, 0}, diag(1, 4), new double[] {1, 1}, diag(4, 9), 2, la), 1e-12);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void f3f4NonCommuting(Mode la) {
        double[] s1 = {2, 1, 1, 2};
        double[] s2 = diag(1, 4);
        double closed = 4 + 5 - 2 * Math.sqrt(10 + 2 * Math.sqrt(12));
        assertEquals(0.771220447654, closed, 1e-12);
        assertEquals(0.771220447654, fdist(new double[] {0, 0}, s1, new double[] {0, 0}, s2, 2, la), 1e-11);
        assertEquals(8.021220447654, fdist(new double[] {1, -2}, s1, new double[] {0, 0.5}, s2, 2, la), 1e-11);
        // symmetric in its arguments
        assertEquals(8.021220447654, fdist(new double[] {0, 0.5}, s2, new double[] {1, -2}, s1, 2, la), 1e-11);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void f5Singular(Mode la) {
        double a = fdist(new double[2], diag(1, 0), new double[2], diag(1, 1), 2, la);
        double b = fdist(new double[2], diag(1, 1), new double[2], diag(1, 0), 2, la);
        assertFalse(Double.isNaN(a));
        assertEquals(1.0, a, 1e-12);
        assertEquals(1.0, b, 1e-12);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void f6ThreeDimensional(Mode la) {
        double[] s1 = {4, 2, 0.6, 2, 5, 1, 0.6, 1, 3};
        double[] s2 = {2, -1, 0, -1, 2, -1, 0, -1, 2};
        assertEquals(5.528809357321, fdist(new double[] {0, 1, 2}, s1, new double[] {1, 1, 1}, s2, 3, la), 1e-11);
    }

    static double[][] f7Inputs() {
        int d = 64;
        double[] a = new double[d * d];
        double[] b = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                a[i * d + j] = Math.cos(0.1 * (i + 1) * (j + 1)) / 8;
                b[i * d + j] = Math.sin(0.05 * (i + 1) + 0.07 * Math.pow(j + 1, 1.5)) / 8;
            }
        }
        double[] s1 = new double[d * d];
        double[] s2 = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double x = 0;
                double y = 0;
                for (int k = 0; k < d; k++) {
                    x += a[i * d + k] * a[j * d + k];
                    y += b[i * d + k] * b[j * d + k];
                }
                s1[i * d + j] = x + (i == j ? 0.01 : 0);
                s2[i * d + j] = y + (i == j ? 0.01 : 0);
            }
        }
        double[] m1 = new double[d];
        double[] m2 = new double[d];
        for (int i = 0; i < d; i++) {
            m1[i] = Math.sin(0.3 * i);
            m2[i] = 0.5 * Math.cos(0.2 * i);
        }
        return new double[][] {m1, s1, m2, s2};
    }

    @ParameterizedTest
    @MethodSource("backends")
    void f7SixtyFourDims(Mode la) {
        double[][] in = f7Inputs();
        double tr1 = 0;
        double tr2 = 0;
        for (int i = 0; i < 64; i++) {
            tr1 += in[1][i * 64 + i];
            tr2 += in[3][i * 64 + i];
        }
        assertEquals(32.6119616111, tr1, 1e-9);
        assertEquals(32.6344137149, tr2, 1e-9);
        assertRel(85.982167098978, fdist(in[0], in[1], in[2], in[3], 64, la), 1e-11);
        assertRel(85.982167098978, fdist(in[2], in[3], in[0], in[1], 64, la), 1e-11);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void f8FromSamples(Mode la) {
        double[] x = {1, 2, 3, 4, 5, 7, 0, 1};
        double[] y = {2, 2, 2, 5, 6, 6, 1, 0, 3, 3};
        GaussianStats sx = new GaussianStats(2, la.linalg());
        sx.addBatch(x, 4);
        GaussianStats sy = new GaussianStats(2, la.linalg());
        for (int i = 0; i < 5; i++) {
            sy.add(y, 2 * i);
        }
        assertEquals(2.25, sx.mean()[0], 1e-14);
        assertEquals(3.5, sx.mean()[1], 1e-14);
        double[] cx = sx.covariance();
        assertEquals(4.916666666666667, cx[0], 1e-12);
        assertEquals(5.833333333333333, cx[1], 1e-12);
        assertEquals(5.833333333333333, cx[2], 1e-12);
        assertEquals(7.0, cx[3], 1e-12);
        double[] cy = sy.covariance();
        assertEquals(2.8, sy.mean()[0], 1e-14);
        assertEquals(3.2, sy.mean()[1], 1e-14);
        assertEquals(3.7, cy[0], 1e-12);
        assertEquals(3.55, cy[1], 1e-12);
        assertEquals(5.7, cy[3], 1e-12);
        assertEquals(1.397406918459, fdist(sx, sy, la), 1e-11);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void f9ScaledCovariance(Mode la) {
        int d = 12;
        double[][] in = f7Inputs();
        // a random-ish SPD Σ1 from the F7 generator's top-left block, and Σ2 = c² Σ1
        double[] s1 = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                s1[i * d + j] = in[1][i * 64 + j];
            }
        }
        double[] m1 = new double[d];
        double[] m2 = new double[d];
        double dm = 0;
        double tr = 0;
        for (int i = 0; i < d; i++) {
            m1[i] = Math.sin(i);
            m2[i] = Math.cos(2 * i);
            dm += (m1[i] - m2[i]) * (m1[i] - m2[i]);
            tr += s1[i * d + i];
        }
        for (double c : new double[] {0.0, 0.3, 1.0, 2.5}) {
            double[] s2 = s1.clone();
            for (int i = 0; i < s2.length; i++) {
                s2[i] *= c * c;
            }
            double expected = dm + (1 - c) * (1 - c) * tr;
            assertEquals(expected, fdist(m1, s1, m2, s2, d, la), 1e-10 * Math.max(1, expected), "c = " + c);
            assertEquals(expected, fdist(m2, s2, m1, s1, d, la), 1e-10 * Math.max(1, expected), "c = " + c);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void rankDeficientFromFewSamples(Mode la) {
        // N < d: singular sample covariances on both sides; the distance is finite, non-negative and symmetric.
        int d = 20;
        int n = 8;
        double[] x = org.flowbench.engine.random.NoiseSource.gaussian(1, 0, 0, n * d);
        double[] y = org.flowbench.engine.random.NoiseSource.gaussian(2, 0, 0, n * d);
        GaussianStats a = new GaussianStats(d, la.linalg());
        a.addBatch(x, n);
        GaussianStats b = new GaussianStats(d, la.linalg());
        b.addBatch(y, n);
        double ab = fdist(a, b, la);
        double ba = fdist(b, a, la);
        assertTrue(Double.isFinite(ab) && ab > 0, "FD " + ab);
        // near-zero eigenvalues of R Σ R carry rounding noise of order eps·‖M‖, whose square roots add up to ~1e-7
        assertEquals(ab, ba, 1e-6 * ab);
        assertEquals(0.0, fdist(a, a, la), 1e-6);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void referenceIsReusable(Mode la) {
        double[][] in = f7Inputs();
        Frechet.Reference ref = new Frechet.Reference(in[0], in[1], 64, la.linalg(), la.cholesky());
        assertRel(85.982167098978, ref.distanceTo(in[2], in[3]), 1e-11);
        assertRel(85.982167098978, ref.distanceTo(in[2], in[3]), 1e-11);
        assertEquals(0.0, ref.distanceTo(in[0], in[1]), 1e-9);
        assertEquals(la.cholesky() ? "cholesky" : "symmetric-root", ref.factorKind());
        // a singular reference always falls back to the symmetric root
        Frechet.Reference singular = new Frechet.Reference(new double[2], diag(1, 0), 2, la.linalg(), la.cholesky());
        assertEquals("symmetric-root", singular.factorKind());
        assertEquals(1.0, singular.distanceTo(new double[2], diag(1, 1)), 1e-12);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void dimensionMismatchIsAUserError(Mode la) {
        GaussianStats a = new GaussianStats(3, la.linalg());
        GaussianStats b = new GaussianStats(4, la.linalg());
        assertThrows(FlowbenchException.class, () -> fdist(a, b, la));
        // non-finite statistics are a user error, not NaN
        assertThrows(FlowbenchException.class, () -> fdist(new double[] {Double.NaN}, new double[] {1},
                new double[] {0}, new double[] {1}, 1, la));
        assertThrows(FlowbenchException.class, () -> fdist(new double[] {0}, new double[] {1},
                new double[] {0}, new double[] {Double.POSITIVE_INFINITY}, 1, la));
    }
}
