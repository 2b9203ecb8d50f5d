package org.flowbench.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Linalg}'s row-major contract (which triangle is read, what is left alone), checked on the pure-Java backend
 * and on the row-/column-major mapping the GPU backend uses ({@link ColumnMajorLinalg} over column-major kernels in
 * plain Java). The unread triangle holds garbage, so a mapping that reads or writes the wrong half fails.
 */
class ColumnMajorLinalgTest {
    private static final int N = 7;
    private static final double GARBAGE = 1e6;

    static Stream<Linalg> backends() {
        return Stream.of(Linalg.pureJava(), new ColumnMajorLinalg("column-major", new ReferenceColumnMajorKernels()));
    }

    private static double[] spd(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] b = new double[N * N];
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextGaussian();
        }
        double[] s = new double[N * N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                double v = i == j ? N : 0;
                for (int p = 0; p < N; p++) {
                    v += b[i * N + p] * b[j * N + p];
                }
                s[i * N + j] = v;
            }
        }
        return s;
    }

    @ParameterizedTest
    @MethodSource("backends")
    void eighReadsTheUpperTriangleOnly(Linalg l) {
        double[] s = spd(1);
        double[] w0 = new double[N];
        Linalg.pureJava().eigh(s.clone(), N, w0, false);
        double[] a = s.clone();
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < i; j++) {
                a[i * N + j] = GARBAGE;
            }
        }
        double[] w = new double[N];
        l.eigh(a, N, w, true);
        assertArrayEquals(w0, w, 1e-9 * w0[N - 1]);
        for (int j = 0; j < N; j++) { // S u_j = w_j u_j, u_j = column j (a[i*N + j])
            for (int i = 0; i < N; i++) {
                double su = 0;
                for (int p = 0; p < N; p++) {
                    su += s[i * N + p] * a[p * N + j];
                }
                assertEquals(w[j] * a[i * N + j], su, 1e-9 * w0[N - 1], l.name() + " eigenvector " + j);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void syrkAddsAtAToTheUpperTriangleAndLeavesTheLowerAlone(Linalg l) {
        int k = 5;
        double[] a = new double[k * N];
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
        }
        double[] c = new double[N * N];
        for (int i = 0; i < c.length; i++) {
            c[i] = i / N > i % N ? GARBAGE + i : i;
        }
        double[] c0 = c.clone();
        l.syrkUpper(a, k, N, c);
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                if (j < i) {
                    assertEquals(c0[i * N + j], c[i * N + j], 0, l.name() + ": the lower triangle is left alone");
                } else {
                    double v = c0[i * N + j];
                    for (int p = 0; p < k; p++) {
                        v += a[p * N + i] * a[p * N + j];
                    }
                    assertEquals(v, c[i * N + j], 1e-12 * Math.abs(v) + 1e-12);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void choleskyReadsTheLowerTriangleAndZeroesTheUpper(Linalg l) {
        double[] s = spd(3);
        double[] a = s.clone();
        for (int i = 0; i < N; i++) {
            for (int j = i + 1; j < N; j++) {
                a[i * N + j] = -GARBAGE;
            }
        }
        assertTrue(l.cholesky(a, N));
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                if (j > i) {
                    assertEquals(0, a[i * N + j], 0, "upper triangle zeroed");
                }
                double llt = 0;
                for (int p = 0; p < N; p++) {
                    llt += a[i * N + p] * a[j * N + p];
                }
                assertEquals(s[i * N + j], llt, 1e-9 * N, l.name() + " L Lᵀ = S at " + i + "," + j);
            }
        }
        double[] indefinite = s.clone();
        indefinite[0] = -1;
        assertFalse(l.cholesky(indefinite, N));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void productsMatchThePureJavaOnes(Linalg l) {
        int m = 3;
        int k = 4;
        int n = 5;
        SplittableRandom r = new SplittableRandom(4);
        double[] a = r.doubles(m * k).toArray();
        double[] b = r.doubles(k * n).toArray();
        double[] c = new double[m * n];
        double[] c0 = new double[m * n];
        l.gemm(a, b, c, m, k, n);
        Linalg.pureJava().gemm(a, b, c0, m, k, n);
        assertArrayEquals(c0, c, 1e-12);
        double[] low = spd(5);
        assertTrue(Linalg.pureJava().cholesky(low, N));
        double[] g = r.doubles(N * N).toArray();
        double[] out = new double[N * N];
        double[] out0 = new double[N * N];
        l.lowerSandwich(low, g, out, N);
        Linalg.pureJava().lowerSandwich(low, g, out0, N);
        assertArrayEquals(out0, out, 1e-9);
    }
}
