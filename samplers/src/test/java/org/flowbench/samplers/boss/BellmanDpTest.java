package org.flowbench.samplers.boss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** §4.2.1: the exact-K DP equals brute force over all interior subsets, ties toward the smaller index. */
class BellmanDpTest {
    /** The lexicographically smallest optimal path by enumeration of all (K−1)-subsets of 1..n−2. */
    static BellmanDp.Result brute(CostMatrix c, int k) {
        int n = c.nodes();
        int[] best = null;
        double bestCost = Double.POSITIVE_INFINITY;
        int interior = n - 2;
        for (int mask = 0; mask < (1 << interior); mask++) {
            if (Integer.bitCount(mask) != k - 1) {
                continue;
            }
            int[] path = new int[k + 1];
            int at = 1;
            for (int b = 0; b < interior; b++) {
                if ((mask & (1 << b)) != 0) {
                    path[at++] = b + 1;
                }
            }
            path[k] = n - 1;
            double cost = 0;
            for (int i = 0; i < k; i++) {
                cost += c.get(path[i], path[i + 1]);
            }
            if (cost < bestCost || (cost == bestCost && lexLess(path, best))) {
                bestCost = cost;
                best = path;
            }
        }
        return new BellmanDp.Result(best, bestCost);
    }

    static boolean lexLess(int[] a, int[] b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return a[i] < b[i];
            }
        }
        return false;
    }

    static CostMatrix random(Random r, int n, boolean integer) {
        CostMatrix c = new CostMatrix(n);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                c.set(i, j, integer ? r.nextInt(4) : r.nextDouble() * (j - i));
            }
        }
        return c;
    }

    @Test
    void equalsBruteForceOnRandomMatrices() {
        Random r = new Random(42);
        int checked = 0;
        for (int trial = 0; trial < 30; trial++) {
            int n = 5 + r.nextInt(9); // 5..13 nodes
            CostMatrix c = random(r, n, false);
            for (int k = 1; k <= 4; k++) {
                BellmanDp.Result dp = BellmanDp.solve(c, k);
                BellmanDp.Result bf = brute(c, k);
                assertArrayEquals(bf.path(), dp.path(), "n = " + n + ", K = " + k);
                assertEquals(bf.objective(), dp.objective(), 1e-12);
                checked++;
            }
        }
        assertEquals(120, checked);
    }

    @Test
    void tiesGoToTheSmallerIndex() {
        // integer costs in {0..3}: many exact ties, and integer sums are exact in floating point
        Random r = new Random(7);
        int ties = 0;
        for (int trial = 0; trial < 40; trial++) {
            int n = 6 + r.nextInt(6);
            CostMatrix c = random(r, n, true);
            for (int k = 1; k <= 4; k++) {
                BellmanDp.Result dp = BellmanDp.solve(c, k);
                assertArrayEquals(brute(c, k).path(), dp.path());
            }
            ties++;
        }
        // all-zero costs: every path is optimal, the answer is 0, 1, …, K−1, n−1
        CostMatrix zero = new CostMatrix(8);
        assertArrayEquals(new int[] {0, 1, 2, 7}, BellmanDp.solve(zero, 3).path());
        assertTrue(ties > 0);
    }

    @Test
    void fullGridAndMonotoneObjective() {
        Random r = new Random(3);
        CostMatrix c = random(r, 9, false);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, BellmanDp.solve(c, 8).path());
        assertArrayEquals(new int[] {0, 8}, BellmanDp.solve(c, 1).path());
        // with costs that satisfy the triangle-like property of Euler costs, more steps never cost more
        CostMatrix sq = new CostMatrix(20);
        for (int i = 0; i < 20; i++) {
            for (int j = i + 1; j < 20; j++) {
                sq.set(i, j, (j - i - 1) * (j - i - 1) * (1 + 0.1 * i));
            }
        }
        double prev = Double.POSITIVE_INFINITY;
        for (int k = 1; k < 19; k++) {
            double v = BellmanDp.solve(sq, k).objective();
            assertTrue(v <= prev, "K = " + k);
            prev = v;
        }
    }

    @Test
    void packedIndexingCoversTheUpperTriangle() {
        CostMatrix c = new CostMatrix(6);
        double v = 0;
        for (int i = 0; i < 6; i++) {
            for (int j = i + 1; j < 6; j++) {
                c.set(i, j, v++);
            }
        }
        v = 0;
        for (int i = 0; i < 6; i++) {
            for (int j = i + 1; j < 6; j++) {
                assertEquals(v++, c.get(i, j));
            }
        }
        assertEquals(15, c.packed().length);
    }
}
