package org.flowbench.engine.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NoiseSourceTest {
    private static int[] block(int c0, int c1, int c2, int c3, int k0, int k1) {
        int[] out = new int[4];
        Philox4x32.block(c0, c1, c2, c3, k0, k1, out, 0);
        return out;
    }

    /** Known-answer vectors of Philox4x32-10 published with the Random123 library (kat_vectors). */
    @Test
    void philoxKnownAnswers() {
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}, block(0, 0, 0, 0, 0, 0));
        assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
                block(-1, -1, -1, -1, -1, -1));
        assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
                block(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0));
    }

    @Test
    void gaussianMomentsAreStandardNormal() {
        int n = 400_000;
        double[] z = NoiseSource.gaussian(42, 7, 0, n);
        double m = 0;
        double m2 = 0;
        double m3 = 0;
        double m4 = 0;
        for (double v : z) {
            m += v;
            m2 += v * v;
            m3 += v * v * v;
            m4 += v * v * v * v;
        }
        m /= n;
        m2 /= n;
        m3 /= n;
        m4 /= n;
        // standard errors: mean 1/sqrt(n) = 0.0016, var sqrt(2/n) = 0.0022, skew sqrt(15/n) = 0.006, kurt sqrt(96/n) = 0.015
        assertEquals(0, m, 0.008);
        assertEquals(1, m2, 0.011);
        assertEquals(0, m3, 0.03);
        assertEquals(3, m4, 0.08);
        long within1 = java.util.Arrays.stream(z).filter(v -> Math.abs(v) < 1).count();
        assertEquals(0.682689, within1 / (double) n, 0.004);
    }

    @Test
    void pureFunctionOfSeedImageAndStream() {
        double[] a = NoiseSource.gaussian(1, 5, 0, 17);
        // computing other images first, or a longer vector, changes nothing for the shared prefix
        NoiseSource.gaussian(1, 4, 0, 1000);
        double[] b = NoiseSource.gaussian(1, 5, 0, 33);
        for (int i = 0; i < 17; i++) {
            assertEquals(a[i], b[i]);
        }
        assertNotEquals(a[0], NoiseSource.gaussian(1, 6, 0, 1)[0]);
        assertNotEquals(a[0], NoiseSource.gaussian(2, 5, 0, 1)[0]);
        assertNotEquals(a[0], NoiseSource.gaussian(1, 5, 1, 1)[0]);
        // image indices above 2^32 are distinct from their low words
        assertNotEquals(NoiseSource.gaussian(1, 3, 0, 1)[0], NoiseSource.gaussian(1, 3 + (1L << 32), 0, 1)[0]);
    }

    @Test
    void uniformIsInUnitIntervalAndUncorrelatedWithGaussianStream() {
        double s = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            double u = NoiseSource.uniform(3, i, 0, 0);
            assertTrue(u >= 0 && u < 1);
            s += u;
        }
        assertEquals(0.5, s / n, 0.005);
    }
}
